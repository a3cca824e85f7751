// Importing a config (issue 11 item 4, issue 12 item 1) over a real host: store, engine and children. The preview
// checks each command on this machine and names every rename; the import saves first, starts everything at once
// and answers while a slow server is still starting (test/fixtures/slow-start.mjs waits for its gate file).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import type { StateChange } from '../src/main/core/supervisor/server-supervisor.js';
import { fixture, fixtureServer } from './helpers/engine.js';
import { startHost, tempDir } from './helpers/host.js';

const slowStart = join(import.meta.dirname, 'fixtures', 'slow-start.mjs');

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

function until(h: RunningHost, name: string, state: string): Promise<StateChange> {
  return new Promise((resolve) => {
    const server = h.engine.servers.get(name);
    if (server?.state.state === state) return resolve(server.state);
    const off = h.engine.stateChanges.on((c) => {
      if (c.server !== name || c.state !== state) return;
      off();
      resolve(c);
    });
  });
}

function config(dir: string) {
  return JSON.stringify({
    mcpServers: {
      fx: { command: process.execPath, args: [fixtureServer, '--name', 'fx'] },
      slow: { command: process.execPath, args: [slowStart, '--gate', join(dir, 'gate')] },
      fetch: { command: 'uvx-not-installed-here', args: ['mcp-server-fetch'] },
      'my tools': { command: process.execPath, args: [fixtureServer], disabled: true },
    },
  });
}

describe('import (issue 11 item 4, issue 12 item 1)', () => {
  it('checks every command where it would run and says which entries are renamed, and why', async () => {
    const dir = tempDir();
    host = await startHost({ dataDir: dir });
    await host.api.addServer({ ...fixture('fx'), autostart: false });
    const preview = await host.api.previewImport({ client: 'claude-desktop', text: config(dir) });
    const { checks } = preview;

    expect(checks.fx!.command).toEqual({ found: true, path: process.execPath });
    expect(checks.fx!.saveAs).toEqual({ name: 'fx-2', reason: 'a server named "fx" already exists' });
    expect(checks.fetch!.command).toMatchObject({ found: false });
    expect(checks.fetch!.command).toHaveProperty('message', expect.stringMatching(/not found on PATH=/));
    expect(checks.fetch!.saveAs).toBeUndefined();
    expect(checks['my-tools']!.saveAs).toEqual({
      name: 'my-tools',
      reason: 'server names may only use letters, digits, ".", "-" and "_"',
    });
    expect(host.engine.servers.size).toBe(1); // a preview saves and starts nothing
  });

  it('saves first, starts all at once, and answers while a server is still starting', async () => {
    const dir = tempDir();
    host = await startHost({ dataDir: dir });
    const names = ['fx', 'slow', 'fetch', 'my-tools'];
    const views = await host.api.importConfig({ client: 'claude-desktop', text: config(dir) }, names);

    // Answered at once: everything is saved, in the config's order, and the slow one has not answered yet.
    expect(views.map((v) => v.definition.name)).toEqual(names);
    expect(host.engine.servers.get('slow')!.state.state).toBe('starting');
    expect(host.store.servers.list().map((d) => d.name)).toEqual(expect.arrayContaining(names));

    // Each reaches its own outcome, independently: the fast one runs while the slow one is still starting.
    await until(host, 'fx', 'running');
    expect(host.engine.servers.get('slow')!.state.state).toBe('starting');
    const failed = await until(host, 'fetch', 'failed');
    expect(failed.reason).toMatch(/`uvx-not-installed-here` not found on PATH=/);
    expect(host.engine.servers.get('my-tools')!.state.state).toBe('stopped'); // disabled: saved, not started
    writeFileSync(join(dir, 'gate'), '');
    await until(host, 'slow', 'running');
  });

  it('refuses an entry that needs fixing before anything is saved or started', async () => {
    const dir = tempDir();
    host = await startHost({ dataDir: dir });
    const text = JSON.stringify({
      mcpServers: {
        fx: { command: process.execPath, args: [fixtureServer] },
        broken: { command: process.execPath, args: ['${input:missing}'] },
      },
    });
    const preview = await host.api.previewImport({ client: 'vscode', text });
    const broken = preview.rows.find((r) => r.name === 'broken')!;
    await expect(host.api.importConfig({ client: 'vscode', text }, ['fx', broken.safeName])).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/^"broken" cannot be imported as it is/),
    });
    expect(host.engine.servers.size).toBe(0);
    expect(host.store.servers.list()).toEqual([]);
  });
});
