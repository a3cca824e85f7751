import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { ImportPreview, ImportSource, ServerView } from '../../../shared/app-api.js';
import { previewStatusLabels, type ClientConfigLocation } from '../../../shared/client-formats.js';
import { ClientSetup, switchboardEntry, type EntryInputs } from './client-setup.js';
import { clientConfigLocations } from './client-locations.js';

/** The AppService methods client setup builds on: the same import the Import page uses, and server removal. */
export interface ImportingService {
  previewImport(source: ImportSource): Promise<ImportPreview>;
  importConfig(source: ImportSource, names: string[]): Promise<ServerView[]>;
  removeServer(name: string): Promise<void>;
}

export interface ClientSetupWiring {
  dataDir: string;
  entryInputs(): EntryInputs;
  /** Read at each call, so tests (and a changed HOME) see their own folder. */
  home?: () => string;
  workspaceFolder?: string;
}

/** ClientSetup over an AppService: "move into Switchboard" imports exactly as the Import page would. */
export function clientSetupFor(service: ImportingService, w: ClientSetupWiring): ClientSetup {
  const rowsOf = async (l: ClientConfigLocation) =>
    (await service.previewImport({ client: l.client, path: l.path })).rows;
  return new ClientSetup({
    locations: () => clientConfigLocations((w.home ?? homedir)(), process.platform, process.env, w.workspaceFolder),
    backupDir: join(w.dataDir, 'client-backups'),
    entryFor: (client) => switchboardEntry(client, w.entryInputs()),
    async previewMove(location, names) {
      const rows = await rowsOf(location);
      const moved: string[] = [];
      const notMoved: Array<{ name: string; reason: string }> = [];
      for (const name of names) {
        const row = rows.find((r) => r.name === name);
        if (!row) notMoved.push({ name, reason: 'not in the file' });
        else if (row.status === 'will-run' || row.status === 'disabled') moved.push(name);
        else notMoved.push({ name, reason: row.problems[0] ?? previewStatusLabels[row.status] });
      }
      return { moved, notMoved };
    },
    async importServers(location, names) {
      const rows = await rowsOf(location);
      const safeNames = rows.filter((r) => names.includes(r.name)).map((r) => r.safeName);
      const views = await service.importConfig({ client: location.client, path: location.path }, safeNames);
      return views.map((v) => v.definition.name);
    },
    async removeServers(names) {
      for (const name of names) await service.removeServer(name).catch(() => {}); // already removed by hand
    },
  });
}

/**
 * `switchboard connect` as a client should launch it from this process: the CLI script this process runs, by the
 * Node running it (absolute, since GUI clients start with a short PATH), against this data dir. Null when this
 * process is not the CLI (the desktop app passes its own).
 */
export function cliConnectCommand(dataDir: string, script = process.argv[1]): EntryInputs['connectCommand'] {
  if (!script || !/^switchboard(\.[cm]?[jt]s)?$/.test(basename(script))) return null;
  return { command: process.execPath, args: [resolve(script), 'connect', '--data-dir', dataDir] };
}
