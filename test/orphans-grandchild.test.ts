// C4 with a grandchild: Switchboard is killed outright, its child leaves on stdin EOF, the grandchild stays in the
// child's process group. The next start must find the group's members in /proc and end them, leader or not.
// Also: a corrupt children.json is a warning, never a crash.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alive, spawnCli, stopAllClis, waitForRunning, type CliRun } from './helpers/cli.js';
import { fixtureServer } from './helpers/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-c4-gc-'));
const leftovers: number[] = [];
afterEach(async () => {
  await stopAllClis();
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The banner's URL; generous, because a loaded machine starts the CLI slowly (tsx compiles it). */
async function listening(run: CliRun): Promise<string> {
  return (await run.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/, 60_000))[1]!;
}

async function poll(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(process.platform !== 'linux')('after switchboard is killed with SIGKILL (C4)', () => {
  it('the next start ends a grandchild whose group leader is already gone', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const config = join(dir, 'servers.json');
    const args = [fixtureServer, '--grandchild', '--pid-file', pidFile];
    writeFileSync(config, JSON.stringify({ mcpServers: { parent: { command: process.execPath, args } } }));
    const cli = ['serve', '--config', config, '--data-dir', join(dir, 'data'), '--no-auth', '--port', '0'];

    const first = spawnCli(cli);
    const leader = (await waitForRunning(await listening(first), ['parent'], 30_000)).servers.parent!.pid!;
    await poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'the grandchild pid file');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    leftovers.push(grandchild);
    first.child.kill('SIGKILL');
    await first.exited;

    // The leader honours stdin EOF and leaves; the grandchild ignores SIGTERM and has no stdin to lose.
    await poll(() => !alive(leader), 'the group leader to leave on stdin EOF');
    expect(alive(grandchild)).toBe(true);

    rmSync(pidFile);
    const second = spawnCli(cli);
    await listening(second);
    await poll(() => !alive(grandchild), 'the grandchild of the earlier run to be ended');
    expect(second.stderr).toMatch(/ended a child left behind by an earlier run/);
    expect((await second.stop('SIGTERM', 30_000)).code).toBe(0);
  }, 180_000);

  // The file's other bad shapes are covered beside the registry; this is the one that crashed `run` (issue 11).
  it.each([['{}', /expected a list of child records, found an object/]] as const)(
    'a children.json holding %s is one warning; run serves and stops with 0',
    async (text, warning) => {
      const data = join(dir, `data-${Math.random().toString(36).slice(2)}`);
      mkdirSync(data);
      writeFileSync(join(data, 'children.json'), text);
      const run = spawnCli([
        'run',
        '--data-dir',
        data,
        '--no-auth',
        '--port',
        '0',
        '--name',
        'fx',
        '--',
        process.execPath,
        fixtureServer,
      ]);
      await waitForRunning(await listening(run), ['fx'], 30_000);
      const exit = await run.stop('SIGTERM', 30_000);
      expect(run.stderr).toMatch(warning);
      expect(run.stderr).not.toMatch(/TypeError|Unhandled|ERR_/);
      expect(exit.code).toBe(0);
    },
    120_000,
  );
});
