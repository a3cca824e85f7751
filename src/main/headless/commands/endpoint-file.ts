import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppApi } from '../../../shared/app-api.js';

/**
 * Where a running `serve` or desktop app says how to reach it, so `switchboard connect` needs no flags. The token is
 * the one the store already keeps in the same folder; the file is written owner-only, like the database.
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

function isRunning(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * The record of the first folder whose Switchboard is still running, else the first record found (its process may
 * be a restart away), else why none was found, naming every folder looked in.
 */
export function readFirstEndpoint(dirs: string[]): EndpointRead {
  const reads = dirs.map(readEndpointFile);
  const found = reads.filter((r): r is Extract<EndpointRead, { ok: true }> => r.ok);
  const live = found.find((r) => isRunning(r.record.pid));
  if (live ?? found[0]) return (live ?? found[0])!;
  if (reads.length === 1) return reads[0]!;
  return {
    ok: false,
    message: `no endpoint.json in ${dirs.join(', ')}: is "switchboard serve" or the desktop app running? (or pass --data-dir, or --url and --token)`,
  };
}

export interface AnnouncedEndpoint {
  /** The host's API, recording a regenerated token so bridges pick it up when they reconnect. */
  api: AppApi;
  /** Removes the record (if it is still this process's). */
  withdraw(): void;
}

/** Records where this host listens, now and whenever its token is regenerated. */
export function announceEndpoint(host: {
  dataDir: string;
  url: string;
  token: string | null;
  api: AppApi;
}): AnnouncedEndpoint {
  const record = (token: string | null) => writeEndpointFile(host.dataDir, { url: host.url, token, pid: process.pid });
  record(host.token);
  const api: AppApi = Object.assign(Object.create(host.api) as AppApi, {
    regenerateToken: async () => {
      const info = await host.api.regenerateToken();
      record(info.token);
      return info;
    },
  });
  return { api, withdraw: () => removeEndpointFile(host.dataDir) };
}
