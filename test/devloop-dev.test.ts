import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeWatcher, defaultWatchPath } from '../src/main/core/devloop/change-watcher.js';
import { editableServer } from './fixtures/devloop/editable-server.js';
import { connectAt, spawnCli, stopAllClis, withDeadline, type Health } from './helpers/cli.js';
import { textOf } from './helpers/clients.js';

afterEach(() => stopAllClis());

// Each test starts the CLI (tsx compiles it): slow on a loaded machine, so generous limits.
describe('switchboard dev', { timeout: 180_000 }, () => {
  it('restarts on a save, prints the schema diff, and keeps the client session working', async () => {
    const server = editableServer();
    const run = spawnCli(['dev', '--port', '0', '--name', 'dev', '--', process.execPath, server.file]);
    // Generous waits: on a loaded machine tsx takes a while to start the CLI, and each restart a moment more.
    const [, url] = await run.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/, 60_000);
    const [, token] = await run.waitForStdout(/Authorization: Bearer (\S+)\n/, 30_000);
    await run.waitForStdout(/"dev" is up: 3 tools, 1 resources, 1 resource templates, 1 prompts\n/, 30_000);
    expect(run.stdout).toContain(`Watching ${server.dir}`);

    const client = await connectAt(`${url}/servers/dev/mcp`, 'streamable', token!);
    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++);
    expect(textOf(await client.callTool({ name: 'greet', arguments: { name: 'Ann' } }))).toBe('Hello, Ann!');

    // A call held in flight across the restart: assert it is in flight before saving.
    const held = client.callTool({ name: 'hang', arguments: {} }).then(
      () => 'answered',
      (err: Error) => `failed: ${err.message}`,
    );
    await until(async () => {
      const health = (await (await fetch(`${url}/health`)).json()) as Health & {
        servers: Record<string, { inflight: number }>;
      };
      return health.servers.dev!.inflight === 1;
    });

    server.edit("const GREETING = 'Hello';", "const GREETING = 'Howdy';");
    server.addTool({ name: 'shout', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } });
    await run.waitForStdout(/restarting "dev"\n/, 30_000);
    await run.waitForStdout(/"dev" restarted; changes since the last run:\n {2}\+ tool shout\n/, 30_000);
    expect(await withDeadline(held, 15_000, 'the held call to end')).toMatch(/^failed: /);

    // The same session, after the restart: the new code answers, the new tool is listed, list_changed came.
    expect(textOf(await client.callTool({ name: 'greet', arguments: { name: 'Ann' } }))).toBe('Howdy, Ann!');
    const second = await client.listTools({ cursor: (await client.listTools()).nextCursor! }); // two per page
    expect(second.tools.map((t) => t.name)).toEqual(['write', 'shout']);
    await until(async () => listChanged > 0);

    server.edit("properties: { name: { type: 'string' } }", "properties: { name: { type: 'number' } }");
    await run.waitForStdout(/~ tool greet\n\s+input\.name: retyped string → number\n/, 30_000);
    await client.close();
    expect((await run.stop('SIGTERM')).code).toBe(0);
  });

  it('refuses a watch path that does not exist', async () => {
    const server = editableServer();
    const run = spawnCli(['dev', '--watch', join(server.dir, 'nope'), '--', process.execPath, server.file]);
    expect((await withDeadline(run.exited, 60_000, 'dev to exit')).code).toBe(2);
    expect(run.stderr).toContain('nope: no such file or folder');
  });
});

describe('the change watcher', () => {
  it('reports a burst of saves once, without node_modules, .git or build outputs', async () => {
    const { dir } = editableServer();
    for (const sub of ['node_modules', '.git', 'dist', 'src']) mkdirSync(join(dir, sub));
    const bursts: string[][] = [];
    const watcher = new ChangeWatcher({ paths: [dir], debounceMs: 300, onChange: (files) => bursts.push(files) });
    try {
      writeFileSync(join(dir, 'node_modules', 'dep.js'), 'x');
      writeFileSync(join(dir, '.git', 'index'), 'x');
      writeFileSync(join(dir, 'dist', 'server.js'), 'x');
      writeFileSync(join(dir, 'src', 'a.js'), 'a');
      writeFileSync(join(dir, 'server.mjs'), '// edited');
      await until(async () => bursts.length > 0);
      expect(bursts).toEqual([['server.mjs', join('src', 'a.js')].sort()]);
    } finally {
      watcher.close();
    }
  });

  it('watches the folder of the first file argument by default, else the working directory', () => {
    const { dir, file } = editableServer();
    expect(defaultWatchPath([process.execPath, '--inspect', file], '/')).toBe(dir);
    expect(defaultWatchPath(['node', 'server.mjs'], dir)).toBe(dir);
    expect(defaultWatchPath(['npx', '-y', '@scope/server'], dir)).toBe(dir);
    expect(defaultWatchPath(['npx', '-y', '@scope/server'], '/tmp')).toBe('/tmp');
  });
});

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
