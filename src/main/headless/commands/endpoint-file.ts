import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a running `serve` says how to reach it, so `switchboard connect` needs no flags. The token is the one the
 * store already keeps in the same folder; the file is written owner-only, like the database.
 */
export interface EndpointRecord {
  url: string;
  token: string | null;
  pid: number;
}

export function endpointFilePath(dataDir: string): string {
  return join(dataDir, 'endpoint.json');
}

/** Written whole to a temporary name and renamed, so a reader never sees half a file. */
export function writeEndpointFile(dataDir: string, record: EndpointRecord): void {
  const path = endpointFilePath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  renameSync(temp, path);
}

/** Removes the record if it is still ours (another serve may have started on the same data dir since). */
export function removeEndpointFile(dataDir: string, pid = process.pid): void {
  const current = readEndpointFile(dataDir);
  if (current.ok && current.record.pid === pid) rmSync(endpointFilePath(dataDir), { force: true });
}

export type EndpointRead = { ok: true; record: EndpointRecord } | { ok: false; message: string };

export function readEndpointFile(dataDir: string): EndpointRead {
  const path = endpointFilePath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message:
        code === 'ENOENT'
          ? `${path} does not exist: is "switchboard serve" running with this data dir? (or pass --url and --token)`
          : `cannot read ${path}: ${(err as Error).message}`,
    };
  }
  try {
    const value = JSON.parse(text) as Partial<EndpointRecord>;
    if (typeof value.url !== 'string') throw new Error('no "url"');
    const token = typeof value.token === 'string' ? value.token : null;
    return { ok: true, record: { url: value.url, token, pid: Number(value.pid) || 0 } };
  } catch (err) {
    return { ok: false, message: `${path} is not a valid endpoint record: ${(err as Error).message}` };
  }
}
