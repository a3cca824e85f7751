import type { CatalogPage, CatalogQuery } from '../../../shared/catalog.js';
import type { ClientSetupPreview, ClientSetupRequest, ClientSetupStatus } from '../../../shared/client-setup.js';
import { RegistryClient } from '../catalog/registry-client.js';
import type { ClientSetup, EntryInputs } from '../config/client-setup.js';
import { clientSetupFor, type ImportingService } from '../config/client-setup-service.js';
import type { SettingsControl } from './settings-control.js';

export interface OnboardingOptions {
  /** The service whose import "move into Switchboard" goes through, exactly as the Import page's does. */
  service: ImportingService;
  settings: SettingsControl;
  dataDir: string;
  /** What a client's Switchboard entry points at, read at each use (the URL, token and command can change). */
  entryInputs(): EntryInputs;
}

/**
 * Client setup and catalog (issue 14): pointing MCP clients at Switchboard, and finding servers in the registry.
 * Both are built on first use, so a host that never opens those pages pays nothing for them.
 */
export class Onboarding {
  private setup?: ClientSetup;
  private registry?: RegistryClient;

  constructor(private readonly o: OnboardingOptions) {}

  list(): ClientSetupStatus[] {
    return this.clientSetup().list();
  }

  async preview(request: ClientSetupRequest): Promise<ClientSetupPreview> {
    // The page gets the masked diff; the file's own text, with its secrets, stays in the engine.
    const { before: _before, after: _after, ...preview } = await this.clientSetup().preview(request);
    return preview;
  }

  apply(request: ClientSetupRequest): Promise<ClientSetupStatus> {
    return this.clientSetup().apply(request);
  }

  undo(path: string): Promise<ClientSetupStatus> {
    return this.clientSetup().undo(path);
  }

  searchCatalog(query: CatalogQuery): Promise<CatalogPage> {
    this.registry ??= new RegistryClient({ registryUrl: () => this.o.settings.resolved().settings.registryUrl });
    return this.registry.search(query ?? {});
  }

  private clientSetup(): ClientSetup {
    return (this.setup ??= clientSetupFor(this.o.service, {
      dataDir: this.o.dataDir,
      entryInputs: () => this.o.entryInputs(),
    }));
  }
}
