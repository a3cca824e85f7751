import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ClientKind } from '../../../shared/client-formats.js';
import type { Result } from '../../../shared/index.js';
import { exportClientConfig, type ExportedConfig, type ExportOptions, type ExportServer } from './client-export.js';

/**
 * Import and export of the MCP client configurations Switchboard understands (Claude Desktop, Cursor, Windsurf,
 * VS Code). One entry point for hosts; the work is split by job across the files re-exported here.
 */
export { clientConfigLocations, discoverClientConfigs } from './client-locations.js';
export { parseClientConfig, readClientConfig, serversKey, type ClientImportOptions } from './client-import.js';
export { previewEntry, previewImport, quoteForDisplay, statusOf } from './client-preview.js';
export {
  exportClientConfig,
  toExportServers,
  type ExportedConfig,
  type ExportOptions,
  type ExportServer,
} from './client-export.js';
export { isSecretName, looksLikeToken, maskTokens, MASK } from './secrets.js';
export type * from '../../../shared/client-formats.js';

/**
 * Exports into the file at `path`, merging with what is there. The previous content is kept beside it as
 * `<file>.switchboard-backup`, and the new one is written to a temporary file and renamed, so a crash mid-write
 * never leaves the client with half a config.
 */
export function writeClientConfig(
  path: string,
  client: ClientKind,
  servers: ExportServer[],
  options: Omit<ExportOptions, 'existing'> = {},
): Result<ExportedConfig & { backup?: string }, 'invalid_existing' | 'write_failed'> {
  try {
    const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    const exported = exportClientConfig(client, servers, { ...options, existing });
    if (!exported.ok) return { ...exported, message: `${path}: ${exported.message}` };
    mkdirSync(dirname(path), { recursive: true });
    let backup: string | undefined;
    if (existing !== undefined) {
      backup = `${path}.switchboard-backup`;
      writeFileSync(backup, existing);
    }
    const temp = `${path}.switchboard-tmp`;
    writeFileSync(temp, exported.value.text);
    renameSync(temp, path);
    return { ok: true, value: { ...exported.value, ...(backup !== undefined && { backup }) } };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      ok: false,
      kind: 'write_failed',
      message: `cannot write ${path}: ${e.code ?? e.message}; check the folder's permissions`,
    };
  }
}
