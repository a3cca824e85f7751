/**
 * How `switchboard connect` finds a running Switchboard without flags: `serve` and the desktop app each record
 * their URL and token in their data dir (endpoint.json), and on Linux the desktop app's data dir (Electron's
 * userData, under ~/.config) is not serve's (~/.local/share). Real files in a temporary folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppApi } from '../src/shared/app-api.js';
import { desktopDataDirs, endpointDirs, resolveDataDir } from '../src/main/core/store/data-dir.js';
import { targetResolver } from '../src/main/headless/commands/connect.js';
import {
  announceEndpoint,
  endpointFilePath,
  readFirstEndpoint,
  writeEndpointFile,
} from '../src/main/headless/commands/endpoint-file.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'endpoint-discovery-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** A pid that is not running: past any the kernel hands out here. */
const DEAD_PID = 2 ** 22 + 12345;

describe('where a running Switchboard may have recorded itself', () => {
  it("is serve's data dir, then the desktop app's (packaged and from a checkout), or only the folder given", () => {
    const h = '/home/ada';
    expect(endpointDirs({ platform: 'linux', env: {}, home: h })).toEqual([
      '/home/ada/.local/share/mcp-switchboard',
      '/home/ada/.config/MCP Switchboard',
      '/home/ada/.config/mcp-switchboard',
    ]);
    expect(desktopDataDirs({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: h })[0]).toBe(
      '/cfg/MCP Switchboard',
    );
    expect(desktopDataDirs({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, home: h })[0]).toBe(
      '/home/ada/.config/MCP Switchboard',
    );
    // On macOS the packaged app's folder is serve's: listed once.
    expect(endpointDirs({ platform: 'darwin', env: {}, home: '/Users/ada' })).toEqual([
      '/Users/ada/Library/Application Support/MCP Switchboard',
      '/Users/ada/Library/Application Support/mcp-switchboard',
    ]);
    expect(endpointDirs({ explicit: '/x', platform: 'linux', env: {}, home: h })).toEqual(['/x']);
  });

  it('prefers a record whose process is running, and says every folder it looked in when there is none', () => {
    const [a, b] = [path.join(home, 'a'), path.join(home, 'b')];
    const none = readFirstEndpoint([a, b]);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.message).toContain(`${a}, ${b}`);

    for (const dir of [a, b]) mkdirSync(dir);
    writeEndpointFile(a, { url: 'http://127.0.0.1:1111', token: 'stale', pid: DEAD_PID });
    expect(readFirstEndpoint([a, b])).toMatchObject({ ok: true, record: { url: 'http://127.0.0.1:1111' } });
    writeEndpointFile(b, { url: 'http://127.0.0.1:2222', token: 'live', pid: process.pid });
    expect(readFirstEndpoint([a, b])).toMatchObject({
      ok: true,
      record: { url: 'http://127.0.0.1:2222', token: 'live' },
    });
  });
});

describe('announcing an endpoint (serve and the desktop app)', () => {
  it('records the URL, token and pid, records a regenerated token, and withdraws the record', async () => {
    let next = 'second-token';
    const api = { regenerateToken: async () => ({ token: next }) } as unknown as AppApi;
    const announced = announceEndpoint({ dataDir: home, url: 'http://127.0.0.1:8808', token: 'first-token', api });
    const read = () => JSON.parse(readFileSync(endpointFilePath(home), 'utf8'));
    expect(read()).toEqual({ url: 'http://127.0.0.1:8808', token: 'first-token', pid: process.pid });

    expect(await announced.api.regenerateToken()).toEqual({ token: 'second-token' });
    expect(read().token).toBe('second-token');
    next = 'third-token';
    await announced.api.regenerateToken();
    expect(read().token).toBe('third-token');

    announced.withdraw();
    expect(existsSync(endpointFilePath(home))).toBe(false);
  });

  // The folders are the Linux ones: elsewhere the defaults read other variables.
  it.runIf(process.platform === 'linux')(
    "is found by connect without flags when only the desktop app's folder has a record",
    () => {
      const env = { XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config') };
      const desktop = path.join(home, 'config', 'MCP Switchboard');
      mkdirSync(desktop, { recursive: true });
      expect(resolveDataDir({ env })).not.toBe(desktop);
      writeFileSync(
        endpointFilePath(desktop),
        JSON.stringify({ url: 'http://127.0.0.1:9999', token: 'desk', pid: process.pid }),
      );
      const target = targetResolver({}, env)();
      expect(target.url.href).toBe('http://127.0.0.1:9999/mcp');
      expect(target.token).toBe('desk');
    },
  );
});
