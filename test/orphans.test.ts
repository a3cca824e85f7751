import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bannerUrl, spawnCli, stopAllClis } from './helpers/cli.js';
import { fixtureServer } from './helpers/engine.js';
import { alive } from './helpers/process.js';

afterEach(stopAllClis);

async function pids(url: string): Promise<Record<string, number>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as {
      servers: Record<string, { state: string; pid: number }>;
    };
    const servers = Object.entries(health.servers);
    if (servers.every(([, s]) => s.state === 'running')) return Object.fromEntries(servers.map(([n, s]) => [n, s.pid]));
    if (Date.now() > deadline) throw new Error(`servers did not start: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('when Switchboard itself is killed (C4)', () => {
  it('children that honour stdin EOF exit; the next start reaps the rest, checking their command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-c4-'));
    const config = join(dir, 'servers.json');
    const entry = (flags: string[]) => ({ command: process.execPath, args: [fixtureServer, ...flags] });
    writeFileSync(
      config,
      JSON.stringify({ mcpServers: { polite: entry([]), stubborn: entry(['--ignore-stdin-eof']) } }),
    );
    const args = ['serve', '--config', config, '--data-dir', join(dir, 'data'), '--no-auth', '--port', '0'];

    const first = spawnCli(args);
    const before = await pids(await bannerUrl(first));
    first.child.kill('SIGKILL');
    await first.exited;

    await expect.poll(() => alive(before.polite!), { timeout: 5000 }).toBe(false);
    expect(alive(before.stubborn!)).toBe(true); // it ignores EOF: only the next run can end it

    const second = spawnCli(args);
    const secondUrl = await bannerUrl(second);
    const after = await pids(secondUrl);
    // Order, not a clock: the relaunch ends what the killed run left behind before it starts any server.
    expect(alive(before.stubborn!)).toBe(false);
    expect(second.stderr).toMatch(/ended a child left behind by an earlier run/);
    expect(after.stubborn).not.toBe(before.stubborn);
    expect((await second.stop('SIGTERM')).code).toBe(0);
    expect(alive(after.stubborn!)).toBe(false);
  }, 90_000); // two CLI start-ups through tsx: slow on a loaded machine, and no figure of this test
});
