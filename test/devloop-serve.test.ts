import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import type { ProblemView, SchemaRunView } from '../src/shared/app-api.js';
import { editableServer, type EditableServer } from './fixtures/devloop/editable-server.js';
import { connectClient } from './helpers/clients.js';
import { startHost, tempDir, writeConfig } from './helpers/host.js';

let host: RunningHost | null = null;
afterEach(async () => {
  await host?.stop();
  host = null;
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function serveFixture(dataDir: string, server: EditableServer): Promise<RunningHost> {
  const config = writeConfig({ dev: { command: process.execPath, args: [server.file] } });
  host = await startHost({ dataDir, configPath: config, flags: { port: 0, token: null } });
  return host;
}

const history = (h: RunningHost) => () => h.service.getSchemaHistory('dev', 10);
const runs = (n: number) => (v: SchemaRunView[]) => v.length >= n;

describe('the developer loop in serve', { timeout: 120_000 }, () => {
  it('keeps a schema history per server, across restarts of the server and of Switchboard', async () => {
    const dataDir = tempDir();
    const server = editableServer();
    let h = await serveFixture(dataDir, server);
    const [first] = await until(history(h), runs(1));
    expect(first).toMatchObject({ first: true, counts: { tools: 3, resources: 1, resourceTemplates: 1, prompts: 1 } });

    server.addTool({ name: 'shout', inputSchema: { type: 'object' } });
    await h.service.restartServer('dev');
    const [second] = await until(history(h), runs(2));
    expect(second!.changes).toEqual([{ kind: 'tool', name: 'shout', change: 'added', details: [] }]);

    await h.stop();
    host = null;
    server.edit(
      "annotations: { readOnlyHint: true },\n    inputSchema: { type: 'object', properties: { name",
      "inputSchema: { type: 'object', properties: { name",
    );
    h = await serveFixture(dataDir, server);
    const all = await until(history(h), runs(3));
    expect(all.map((r) => r.first)).toEqual([false, false, true]);
    expect(all[0]!.changes).toEqual([
      { kind: 'tool', name: 'greet', change: 'changed', details: ['annotations.readOnlyHint: true → (none)'] },
    ]);
    await expect(h.service.getSchemaHistory('nope')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('restarts a server when its files change once the dashboard switch is on', async () => {
    const server = editableServer();
    const h = await serveFixture(tempDir(), server);
    await until(history(h), runs(1));
    expect(await h.service.getRestartOnChange('dev')).toEqual({ enabled: false, paths: [] });
    expect(await h.service.setRestartOnChange('dev', true)).toEqual({ enabled: true, paths: [server.dir] });

    server.addTool({ name: 'shout', inputSchema: { type: 'object' } });
    const [latest] = await until(history(h), runs(2));
    expect(latest!.changes).toEqual([{ kind: 'tool', name: 'shout', change: 'added', details: [] }]);
    expect(await h.service.setRestartOnChange('dev', false)).toEqual({ enabled: false, paths: [] });
    await expect(h.service.setRestartOnChange('nope', true)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('lints every frame live: problems per server with the frame, counted in /metrics', async () => {
    const server = editableServer();
    server.fault('noise');
    server.fault('undeclared');
    const h = await serveFixture(tempDir(), server);
    await until(history(h), runs(1));
    const client = await connectClient(h.engine.url, 'dev', 'streamable', { token: '' });
    await client.callTool({ name: 'greet', arguments: { name: 'Ann' } });
    await client.ping();
    const problems = await until(
      () => h.service.getProblems('dev'),
      (p: ProblemView[]) => p.length >= 2,
    );
    expect(problems.map((p) => [p.rule, p.frame])).toEqual(
      expect.arrayContaining([
        ['non-json-stdout', 'debug: calling greet'],
        [
          'undeclared-capability',
          '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}',
        ],
      ]),
    );
    expect(problems.find((p) => p.rule === 'undeclared-capability')!.seq).toEqual(expect.any(Number));
    expect(await h.service.getProblems()).toHaveLength(problems.length);

    const metrics = await (await fetch(`${h.engine.url}/metrics`)).text();
    expect(metrics).toMatch(
      /switchboard_lint_findings_total\{server="dev",rule="non-json-stdout",severity="error"\} 1\n/,
    );
    expect(metrics).toMatch(
      /switchboard_lint_findings_total\{server="dev",rule="undeclared-capability",severity="error"\} 1\n/,
    );
    await h.service.clearProblems('dev');
    expect(await h.service.getProblems('dev')).toEqual([]);
    await client.close();
  });
});
