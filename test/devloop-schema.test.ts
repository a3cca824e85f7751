import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaWatcher } from '../src/main/core/devloop/schema-watcher.js';
import { Store } from '../src/main/core/store/index.js';
import { SchemaRunRepository, type SchemaRun } from '../src/main/core/store/schema-run-repository.js';
import { createLogger } from '../src/main/core/util/logger.js';
import { editableServer } from './fixtures/devloop/editable-server.js';
import { startTestEngine, type TestEngine } from './helpers/engine.js';

const quiet = createLogger('silent', () => {});
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** An engine serving an editable fixture, with a schema watcher recording into a real SQLite store in `dataDir`. */
async function watched(dataDir: string, server = editableServer()) {
  const store = await Store.open({ dataDir, logger: quiet, retention: false });
  const runs = new SchemaRunRepository(store.file);
  const t: TestEngine = await startTestEngine([{ name: 'dev', command: process.execPath, args: [server.file] }]);
  const watcher = new SchemaWatcher(t.engine, runs, quiet);
  const recorded: SchemaRun[] = [];
  watcher.runs.on((r) => recorded.push(r));
  const stop = async () => {
    watcher.dispose();
    await t.stop();
    await store.close();
  };
  cleanup.push(stop);
  return { server, store, runs, engine: t.engine, watcher, recorded, stop };
}

/** Restarts the server and waits until its new run is recorded. */
async function restart(w: Awaited<ReturnType<typeof watched>>): Promise<SchemaRun> {
  const before = w.recorded.length;
  await w.engine.restartServer('dev');
  await w.watcher.settled();
  expect(w.recorded.length).toBe(before + 1);
  return w.recorded.at(-1)!;
}

describe('the schema diff after each start', { timeout: 120_000 }, () => {
  it('records every page of tools, resources, templates and prompts, then names what an edit changed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-devloop-data-'));
    const w = await watched(dataDir);
    // The first start happened before the watcher existed (startTestEngine starts at once): restart to record.
    const first = await restart(w);
    expect(first.first).toBe(true);
    expect(first.snapshot.tools.map((t) => t.name)).toEqual(['greet', 'add', 'write']); // two pages
    expect(first.snapshot.resources).toHaveLength(1);
    expect(first.snapshot.resourceTemplates).toHaveLength(1);
    expect(first.snapshot.prompts).toHaveLength(1);

    w.server.addTool({ name: 'shout', inputSchema: { type: 'object' } });
    w.server.edit("properties: { name: { type: 'string' } }", "properties: { name: { type: 'number' } }");
    w.server.edit("description: 'Adds two numbers'", "description: 'Adds numbers'");
    const second = await restart(w);
    expect(second.first).toBe(false);
    expect(second.changes).toEqual([
      { kind: 'tool', name: 'greet', change: 'changed', details: ['input.name: retyped string → number'] },
      {
        kind: 'tool',
        name: 'add',
        change: 'changed',
        details: ['description: "Adds two numbers" → "Adds numbers"'],
      },
      { kind: 'tool', name: 'shout', change: 'added', details: [] },
    ]);

    const third = await restart(w);
    expect(third.changes).toEqual([]);
  });

  it('keeps the history across restarts of Switchboard', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-devloop-data-'));
    const server = editableServer();
    const a = await watched(dataDir, server);
    await restart(a);
    await a.stop();
    cleanup = [];

    server.edit("{ name: 'write', description: 'Writes something', inputSchema: { type: 'object' } },", '');
    const b = await watched(dataDir, server);
    const run = await restart(b);
    expect(run.changes).toEqual([{ kind: 'tool', name: 'write', change: 'removed', details: [] }]);
    expect(b.runs.history('dev', 10).map((r) => r.first)).toEqual([false, true]);
  });
});
