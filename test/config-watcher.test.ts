// Live reload of `serve --config` (issue 14): a real watched file, a real host (store, engine, fixture servers),
// and a real client session on a server the edits do not touch.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import { ConfigWatcher, registryTarget, type ReloadOutcome } from '../src/main/core/config/config-watcher.js';
import { connectAt } from './helpers/cli.js';
import { textOf } from './helpers/clients.js';
import { fixtureServer } from './helpers/engine.js';
import { startHost, tempDir } from './helpers/host.js';

const entry = (name: string) => ({ command: process.execPath, args: [fixtureServer, '--name', name] });

let dir: string;
let path: string;
let host: RunningHost;
let watcher: ConfigWatcher;
let keep: Client;
const problems: string[] = [];

/** Saves the way many editors do: a new file renamed over the old one (the watch must survive it). */
function save(text: string): void {
  const temp = join(dir, `.servers.json.${Math.random().toString(16).slice(2)}`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function nextReload(): Promise<ReloadOutcome> {
  return new Promise((resolve) => {
    const off = watcher.reloads.on((o) => {
      off();
      resolve(o);
    });
  });
}

/** Waits for the server's state event (or sees it already running) and returns its child's pid. */
async function running(name: string): Promise<number> {
  const server = () => host.engine.servers.get(name);
  if (server()?.state.state !== 'running') {
    await new Promise<void>((resolve) => {
      const off = host.engine.stateChanges.on((c) => {
        if (c.server !== name || c.state !== 'running') return;
        off();
        resolve();
      });
      if (server()?.state.state !== 'running') return;
      off();
      resolve();
    });
  }
  return server()!.pid!;
}

beforeAll(async () => {
  dir = tempDir('switchboard-watch-');
  path = join(dir, 'servers.json');
  writeFileSync(
    path,
    JSON.stringify({ mcpServers: { keep: entry('keep'), gone: entry('gone'), edit: entry('edit') } }),
  );
  host = await startHost({ dataDir: join(dir, 'data'), configPath: path });
  watcher = new ConfigWatcher({ path, target: registryTarget(host.service), logger: host.logger, debounceMs: 50 });
  watcher.problems.on((p) => problems.push(p));
  await watcher.start();
  await Promise.all(['keep', 'gone', 'edit'].map(running));
  keep = await connectAt(`${host.engine.url}/servers/keep/mcp`, 'streamable', host.token);
});
afterAll(async () => {
  await keep?.close();
  watcher?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve --config: live reload', () => {
  it('adds, removes and restarts what changed; an untouched server keeps its child and its session', async () => {
    const keepPid = await running('keep');
    const editPid = await running('edit');
    expect(textOf(await keep.callTool({ name: 'echo', arguments: { message: 'before' } }))).toBe('keep: before');

    const reloaded = nextReload();
    save(
      JSON.stringify(
        { mcpServers: { edit: entry('edited'), keep: entry('keep'), fresh: entry('fresh') } },
        null,
        2, // formatting and key order alone are not a change
      ),
    );
    const outcome = await reloaded;
    expect(outcome).toEqual({ ok: true, added: ['fresh'], removed: ['gone'], changed: ['edit'], failed: [] });
    expect([...host.engine.servers.keys()].sort()).toEqual(['edit', 'fresh', 'keep']);
    expect(host.store.servers.get('gone')).toBeUndefined();
    expect(host.store.servers.get('fresh')?.command).toBe(process.execPath);

    expect(await running('keep')).toBe(keepPid);
    expect(textOf(await keep.callTool({ name: 'echo', arguments: { message: 'after' } }))).toBe('keep: after');
    expect(await running('edit')).not.toBe(editPid);
    await running('fresh');
    const edited = await connectAt(`${host.engine.url}/servers/edit/mcp`, 'streamable', host.token);
    expect(textOf(await edited.callTool({ name: 'echo', arguments: { message: 'x' } }))).toBe('edited: x');
    await edited.close();
  });

  it('refuses bad JSON and an invalid entry with one notice each, and keeps the last good state', async () => {
    const before = [...host.engine.servers.keys()].sort();
    const keepPid = await running('keep');
    problems.length = 0;

    let reloaded = nextReload();
    save('{ "mcpServers": { "keep": ');
    const badJson = await reloaded;
    expect(badJson.ok).toBe(false);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/not valid JSON.*keep running/);

    reloaded = nextReload();
    save(JSON.stringify({ mcpServers: { keep: entry('keep'), broken: { command: 5 } } }));
    const badEntry = await reloaded;
    expect(badEntry.ok).toBe(false);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/server "broken": command/);

    expect([...host.engine.servers.keys()].sort()).toEqual(before);
    expect(await running('keep')).toBe(keepPid);
    expect(textOf(await keep.callTool({ name: 'echo', arguments: { message: 'still' } }))).toBe('keep: still');

    // The next good edit is compared with the last good state: only "fresh" goes.
    reloaded = nextReload();
    save(JSON.stringify({ mcpServers: { keep: entry('keep'), edit: entry('edited') } }));
    expect(await reloaded).toEqual({ ok: true, added: [], removed: ['fresh'], changed: [], failed: [] });
    expect(await running('keep')).toBe(keepPid);
  });
});
