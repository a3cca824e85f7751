import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrafficRecorder } from '../src/main/core/telemetry/traffic-recorder.js';
import { editableServer, type EditableServer } from './fixtures/devloop/editable-server.js';
import { spawnCli, stopAllClis, withDeadline } from './helpers/cli.js';
import { connectClient } from './helpers/clients.js';
import { startTestEngine } from './helpers/engine.js';

afterEach(() => stopAllClis());

let server: EditableServer;
let recordingFile: string;

/**
 * A real recording: an SDK client talks to the fixture through the gateway while the traffic recorder watches
 * the router, and the rows are exported as the dashboard's "Export .jsonl" writes them.
 */
beforeAll(async () => {
  server = editableServer();
  const t = await startTestEngine([{ name: 'dev', command: process.execPath, args: [server.file] }]);
  const recorder = new TrafficRecorder();
  t.engine.require('dev').router.observe(recorder);
  const client = await connectClient(t.url, 'dev');
  await client.listTools();
  await client.callTool({ name: 'greet', arguments: { name: 'Ann' } });
  await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
  await client.readResource({ uri: 'memo://one' });
  await client.getPrompt({ name: 'hello', arguments: { who: 'Bo' } });
  await client.close();
  recordingFile = join(server.dir, 'recording.jsonl');
  writeFileSync(
    recordingFile,
    recorder
      .query({ limit: Infinity })
      .map((r) => JSON.stringify(r) + '\n')
      .join(''),
  );
  recorder.dispose();
  await t.stop();
}, 120_000);

async function replay(args: string[]) {
  const run = spawnCli(['replay', recordingFile, ...args, '--', process.execPath, server.file]);
  const exit = await withDeadline(run.exited, 60_000, 'switchboard replay to finish');
  return { code: exit.code, stdout: run.stdout, stderr: run.stderr };
}

// Each test starts the CLI (tsx compiles it): slow on a loaded machine, so generous limits.
describe('switchboard replay', { timeout: 180_000 }, () => {
  it('replays every client request in order and exits 0 when each answer matches', async () => {
    const { code, stdout } = await replay([]);
    expect(stdout).toContain('Replaying 5 requests of "dev"');
    expect(stdout).toMatch(
      /tools\/list: same\n.*tools\/call greet: same\n.*tools\/call add: same\n.*resources\/read memo:\/\/one: same\n.*prompts\/get hello: same/,
    );
    expect(stdout).toContain('5 same, 0 different, 0 failed, 0 not compared');
    expect(code).toBe(0);
  });

  it('prints each difference after the server changed, exits 1, and 0 again with that path ignored', async () => {
    server.edit("const GREETING = 'Hello';", "const GREETING = 'Howdy';");
    server.edit("description: 'Adds two numbers'", "description: 'Adds numbers'");
    const changed = await replay([]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('tools/call greet: 1 difference');
    expect(changed.stdout).toContain('$.result.content[0].text: "Hello, Ann!" → "Howdy, Ann!"');
    expect(changed.stdout).toContain('$.result.tools[1].description: "Adds two numbers" → "Adds numbers"');
    expect(changed.stdout).toContain('3 same, 2 different');

    const ignored = await replay(['--ignore', '$.result.content[0].text', '--ignore', '$.result.tools[*].description']);
    expect(ignored.stdout).toContain('5 same, 0 different');
    expect(ignored.code).toBe(0);
  });

  it('exits 2 with the reason when it cannot run: a missing file, a bad path, a server that will not start', async () => {
    const missing = spawnCli(['replay', join(server.dir, 'nope.jsonl'), '--', process.execPath, server.file]);
    expect((await withDeadline(missing.exited, 60_000, 'replay')).code).toBe(2);
    expect(missing.stderr).toContain('nope.jsonl: ENOENT');

    const badPath = await replay(['--ignore', 'result.text']);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toContain('must start with $');

    const garbage = join(server.dir, 'garbage.jsonl');
    writeFileSync(garbage, '{"seq":1,"server":"dev","payload":"{}"}\nnot json\n');
    const bad = spawnCli(['replay', garbage, '--', process.execPath, server.file]);
    expect((await withDeadline(bad.exited, 60_000, 'replay')).code).toBe(2);
    expect(bad.stderr).toContain('line 2 is not JSON');

    const dead = spawnCli(['replay', recordingFile, '--', 'no-such-server-command']);
    expect((await withDeadline(dead.exited, 60_000, 'replay')).code).toBe(2);
    expect(dead.stderr).toContain('`no-such-server-command` not found on PATH');
  });
});
