// `switchboard serve` prints where the web dashboard is; `--enable-terminal` is read like every other setting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/main/headless/settings.js';
import { bannerUrl, spawnCli, stopAllClis } from './helpers/cli.js';

let dir: string;
let config: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-dashboard-'));
  config = join(dir, 'servers.json');
  writeFileSync(config, JSON.stringify({ mcpServers: {} }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => stopAllClis());

describe('switchboard serve and the dashboard', () => {
  it('prints the dashboard URL with the generated token', async () => {
    const cli = spawnCli(['serve', '--config', config, '--port', '0']);
    const url = await bannerUrl(cli);
    const [, token] = await cli.waitForStdout(/\n {2}Authorization: Bearer (\S+)\n/);
    const [, dashboard] = await cli.waitForStdout(/\nDashboard: (\S+)\n/);
    expect(dashboard).toBe(`${url}/ui/?token=${encodeURIComponent(token!)}`);
    await cli.stop();
  });

  it('prints it without a token under --no-auth, and keeps a configured token out of the output', async () => {
    const open = spawnCli(['serve', '--config', config, '--port', '0', '--no-auth']);
    const url = await bannerUrl(open);
    const [, dashboard] = await open.waitForStdout(/\nDashboard: (\S+)\n/);
    expect(dashboard).toBe(`${url}/ui/`);

    const secret = 'configured-token-0123456789';
    const configured = spawnCli(['serve', '--config', config, '--port', '0'], { API_ACCESS_TOKEN: secret });
    await configured.waitForStdout(/\nDashboard: \S+\/ui\/\?token=<the token you configured>\n/);
    expect(configured.stdout).not.toContain(secret);
    await Promise.all([open.stop(), configured.stop()]);
  });

  it('reads --enable-terminal and SWITCHBOARD_ENABLE_TERMINAL; off by default', () => {
    const base = ['serve', '--config', 'x.json'];
    expect(resolveSettings(base, {}).enableTerminal).toBe(false);
    expect(resolveSettings([...base, '--enable-terminal'], {}).enableTerminal).toBe(true);
    expect(resolveSettings(base, { SWITCHBOARD_ENABLE_TERMINAL: '1' }).enableTerminal).toBe(true);
  });
});
