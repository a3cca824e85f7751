import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import { connectClient, textOf } from './helpers/clients.js';
import { fixture, fixtureServer } from './helpers/engine.js';
import { startHost, tempDir, writeConfig } from './helpers/host.js';

const claudeConfig = fileURLToPath(new URL('./fixtures/client-configs/claude_desktop_config.json', import.meta.url));

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function waitRunning(h: RunningHost, name: string) {
  const deadline = Date.now() + 10_000;
  while (h.engine.servers.get(name)?.state.state !== 'running') {
    if (Date.now() > deadline) throw new Error(`${name} did not start: ${h.engine.servers.get(name)?.state.reason}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('AppService over a real engine and store', () => {
  it('adds a server, calls a tool from the explorer, and finds the call in traffic and its stderr in logs', async () => {
    host = await startHost({ dataDir: tempDir() });
    const api = host.api;
    expect(await api.listServers()).toEqual([]);
    const view = await api.addDemoServer();
    expect(view.definition.name).toBe('demo');
    await waitRunning(host, 'demo');
    const tools = await api.listTools('demo');
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'add', 'count-slowly']));
    const result = await api.callTool('demo', 'echo', { message: 'from the explorer' });
    expect(result.content).toEqual([{ type: 'text', text: 'from the explorer' }]);
    expect(result.latencyMs).toBeGreaterThan(0);
    await expect.poll(async () => (await api.queryTraffic({ server: 'demo', method: 'tools/call' })).length).toBe(2);
    const [request, response] = await api.queryTraffic({ server: 'demo', method: 'tools/call' });
    expect(request!.direction).toBe('up');
    expect(response!.pairKey).toBe(request!.pairKey);
    expect(response!.latencyMs).toBeGreaterThan(0);
    const client = await connectClient(host.engine.url, 'demo', 'streamable', { name: 'exporter', token: host.token! });
    await client.callTool({ name: 'echo', arguments: { message: 'exported' } });
    await client.close();
    await expect
      .poll(async () => (await api.exportTraffic({ server: 'demo', clientName: 'exporter' })).jsonl)
      .toContain('exported');
    const lines = (await api.exportTraffic({ server: 'demo', clientName: 'exporter' })).jsonl.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).clientName)).toEqual(lines.map(() => 'exporter'));
    expect((await api.exportTraffic({ server: 'demo' })).jsonl.split('\n').length).toBeGreaterThan(lines.length);
    expect((await api.exportTraffic({ server: 'demo', clientName: 'nobody' })).jsonl).toBe('');
    await expect.poll(async () => (await api.queryLogs({ server: 'demo', text: 'ready on stdio' })).length).toBe(1);
    const [line] = await api.queryLogs({ server: 'demo', text: 'ready on stdio' });
    expect(line!.stderr).toBe(true);
  });

  it('refuses an invalid server with a readable reason, and masks secret env values', async () => {
    host = await startHost({ dataDir: tempDir() });
    await expect(host.api.addServer({ name: 'has space', command: 'x' })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(host.api.addServer({ name: 'ok', command: '' })).rejects.toThrow(/command must not be empty/);
    const added = await host.api.addServer({
      ...fixture('secretive'),
      env: { API_KEY: 'sk-live-1234567890abcdef', PLAIN: 'visible' },
      secretEnvKeys: ['API_KEY'],
    });
    expect(added.definition.env).toEqual({ API_KEY: '•••', PLAIN: 'visible' });
    // Sending the mask back means "unchanged": the real value survives an edit.
    await host.api.updateServer('secretive', {
      ...added.definition,
      args: [...added.definition.args, '--name', 'renamed'],
    });
    expect(host.engine.servers.get('secretive')!.definition.env.API_KEY).toBe('sk-live-1234567890abcdef');
  });

  it('previews a Claude Desktop config without spawning, then imports the chosen entries', async () => {
    host = await startHost({ dataDir: tempDir() });
    const preview = await host.api.previewImport({ client: 'claude-desktop', path: claudeConfig });
    const github = preview.rows.find((r) => r.name === 'github')!;
    expect(github.commandLine).toContain('docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN');
    expect(JSON.stringify(preview)).not.toContain('ghp_example');
    expect(host.engine.servers.size).toBe(0);
    const imported = await host.api.importConfig({ client: 'claude-desktop', path: claudeConfig }, ['memory']);
    expect(imported.map((v) => v.definition.name)).toEqual(['memory']);
    expect((await host.api.exportConfig('cursor')).text).toContain('"memory"');
  });

  it('regenerates the token live: the old one stops working at once', async () => {
    host = await startHost({ dataDir: tempDir() });
    const before = (await host.api.getConnectionInfo()).token!;
    expect(host.tokenGenerated).toBe(true);
    const after = (await host.api.regenerateToken()).token!;
    expect(after).not.toBe(before);
    const info = (token: string) =>
      fetch(`${host!.engine.url}/info`, { headers: { authorization: `Bearer ${token}` } });
    expect((await info(before)).status).toBe(401);
    expect((await info(after)).status).toBe(200);
  });

  it('serves /metrics counting calls per server', async () => {
    const config = writeConfig({ fx: { command: process.execPath, args: [fixtureServer] } });
    host = await startHost({ dataDir: tempDir(), configPath: config });
    await waitRunning(host, 'fx');
    const client = await connectClient(host.engine.url, 'fx', 'streamable', { token: host.token! });
    await client.callTool({ name: 'echo', arguments: { message: 'm' } });
    await client.close();
    const res = await fetch(`${host.engine.url}/metrics`, { headers: { authorization: `Bearer ${host.token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/switchboard_requests_total\{server="fx",method="tools\/call"\} 1/);
    expect((await fetch(`${host.engine.url}/metrics`)).status).toBe(401);
  });

  it('brings back the servers, the token and their history after a restart on the same data dir', async () => {
    const dataDir = tempDir();
    host = await startHost({ dataDir });
    await host.api.addServer(fixture('kept'));
    await waitRunning(host, 'kept');
    const client = await connectClient(host.engine.url, 'kept', 'streamable', { token: host.token! });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'remember me' } }))).toBe(
      'kept: remember me',
    );
    await client.close();
    const token = host.token;
    await host.stop();

    host = await startHost({ dataDir });
    expect(host.token).toBe(token);
    expect(host.tokenGenerated).toBe(false);
    expect((await host.api.listServers()).map((s) => s.definition.name)).toEqual(['kept']);
    const history = await host.api.queryTraffic({ server: 'kept', method: 'tools/call' });
    expect(history.some((f) => f.payload.includes('remember me'))).toBe(true);
  });

  it('reports settings with their source and refuses bad values', async () => {
    host = await startHost({ dataDir: tempDir(), env: { TRANSPORT_MAX_PROCESSES: '4' } });
    const view = await host.api.getSettings();
    expect(view.settings.maxProcesses).toBe(4);
    expect(view.sources.maxProcesses).toBe('set by TRANSPORT_MAX_PROCESSES');
    expect(view.sources.keepaliveIntervalMs).toBe('the default');
    const updated = await host.api.updateSettings({ keepaliveIntervalMs: 5000, retentionDays: 3 });
    expect(updated.settings.keepaliveIntervalMs).toBe(5000);
    expect(updated.sources.keepaliveIntervalMs).toBe('saved in settings');
    expect(updated.settings.retentionDays).toBe(3);
    await expect(host.api.updateSettings({ port: -1 })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(host.api.updateSettings({ retentionDays: 0 })).rejects.toThrow(/at least 1/);
  });

  it("applies the retention setting to the store's pruning", async () => {
    host = await startHost({ dataDir: tempDir() });
    const day = 86_400_000;
    host.store.logs.append({ time: Date.now() - 3 * day, level: 'info', source: 'old', message: 'ancient line' });
    host.store.logs.append({ time: Date.now(), level: 'info', source: 'new', message: 'recent line' });
    await host.store.flush();
    const count = (text: string) => host!.store.logs.query({ text }).rows.length;
    await host.store.prune(); // the default keeps 7 days
    expect(count('ancient line')).toBe(1);
    await host.api.updateSettings({ retentionDays: 2 });
    await host.store.prune();
    expect(count('ancient line')).toBe(0);
    expect(count('recent line')).toBe(1);
  });
});
