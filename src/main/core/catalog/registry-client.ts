import type { CatalogEntry, CatalogPage, CatalogQuery } from '../../../shared/catalog.js';
import { installFor } from './install-plan.js';
import { listSchema, serverOf, type RegistryServer } from './registry-schema.js';

export const DEFAULT_REGISTRY_URL = 'https://registry.modelcontextprotocol.io';

export interface RegistryClientOptions {
  /** Asked at every call: the registry URL is a setting the user may change while running. */
  registryUrl(): string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Reads the MCP registry's REST API (`GET {registry}/v0/servers?search=&cursor=&limit=`) for the dashboard's
 * catalog. It runs in the engine, never in the page, so the page's CSP stays closed to the network. Failures are
 * results, not throws: "offline" (the registry cannot be reached) is what the page says in one line.
 */
export class RegistryClient {
  constructor(private readonly o: RegistryClientOptions) {}

  async search(query: CatalogQuery): Promise<CatalogPage> {
    const registryUrl = this.o.registryUrl().replace(/\/+$/, '');
    let url: URL;
    try {
      url = new URL(`${registryUrl}/v0/servers`);
      if (!/^https?:$/.test(url.protocol)) throw new Error('not http(s)');
    } catch {
      return {
        ok: false,
        registryUrl,
        offline: false,
        message: `the registry URL "${registryUrl}" is not an http(s) URL`,
      };
    }
    if (query.search) url.searchParams.set('search', query.search);
    if (query.cursor) url.searchParams.set('cursor', query.cursor);
    url.searchParams.set('limit', String(Math.min(100, Math.max(1, Math.trunc(query.limit ?? 30)))));
    // Only the latest version of each server: the list otherwise repeats a server once per published version.
    url.searchParams.set('version', 'latest');
    let response: Response;
    try {
      response = await (this.o.fetch ?? fetch)(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return {
        ok: false,
        registryUrl,
        offline: true,
        message: `cannot reach ${registryUrl}${cause ? ` (${cause})` : (err as Error).name === 'TimeoutError' ? ' (timed out)' : ''}`,
      };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return {
        ok: false,
        registryUrl,
        offline: false,
        message: `${registryUrl} answered ${response.status} ${response.statusText}`,
      };
    }
    const body = listSchema.safeParse(await response.json().catch(() => null));
    if (!body.success) {
      return { ok: false, registryUrl, offline: false, message: `${registryUrl} did not answer with a server list` };
    }
    const entries = body.data.servers
      .map(serverOf)
      .filter((s): s is RegistryServer => s !== null)
      .map(entryOf);
    return { ok: true, registryUrl, entries, nextCursor: body.data.metadata?.nextCursor || null };
  }
}

function entryOf(s: RegistryServer): CatalogEntry {
  const packages = s.packages ?? [];
  return {
    name: s.name,
    ...(s.title ? { title: s.title } : {}),
    description: s.description,
    version: s.version,
    ...(s.repository?.url ? { repositoryUrl: s.repository.url } : {}),
    ...(s.websiteUrl ? { websiteUrl: s.websiteUrl } : {}),
    packages: packages.map((p) => ({
      registryType: p.registryType,
      identifier: p.identifier,
      ...(p.version ? { version: p.version } : {}),
      transport: p.transport?.type ?? 'stdio',
    })),
    remotes: (s.remotes ?? []).map((r) => ({ type: r.type, url: r.url })),
    installs: packages.flatMap((p) => installFor(s, p) ?? []),
  };
}
