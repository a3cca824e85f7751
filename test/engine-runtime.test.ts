import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, textOf } from './helpers/clients.js';
import { authHeaders, fixture, startTestEngine, type TestEngine } from './helpers/engine.js';
import { alive } from './helpers/process.js';

let gw: TestEngine | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

describe('servers at runtime', () => {
  it('adds, replaces and removes servers while serving', async () => {
    gw = await startTestEngine([fixture('first')]);
    const changes: unknown[] = [];
    gw.engine.serversChanged.on((c) => changes.push(c));
    await gw.engine.addServer(fixture('second'));
    const client = await connectClient(gw.url, 'second');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe('second: hi');
    const oldPid = gw.engine.servers.get('second')!.pid!;
    await gw.engine.updateServer('second', fixture('second', [], { env: { CHANGED: '1' } }));
    expect(gw.engine.servers.get('second')!.pid).not.toBe(oldPid);
    expect(alive(oldPid)).toBe(false);
    const again = await connectClient(gw.url, 'second');
    expect(JSON.parse(textOf(await again.callTool({ name: 'env', arguments: {} }))).CHANGED).toBe('1');
    await gw.engine.removeServer('second');
    const res = await fetch(`${gw.url}/servers/second/mcp`, { method: 'POST', headers: authHeaders });
    expect(res.status).toBe(404);
    expect(changes).toEqual([
      { added: ['second'], removed: [], updated: [] },
      { added: [], removed: [], updated: ['second'] },
      { added: [], removed: ['second'], updated: [] },
    ]);
    await expect(gw.engine.addServer(fixture('first'))).rejects.toThrow(/already exists/);
    await expect(gw.engine.addServer({ name: 'bad name', command: 'x' })).rejects.toThrow(/may only contain/);
  });

  it('refuses clients of a disabled server with the reason, and starts a non-autostart server on demand', async () => {
    gw = await startTestEngine([
      { ...fixture('off'), enabled: false },
      { ...fixture('lazy'), autostart: false },
    ]);
    const off = await fetch(`${gw.url}/servers/off/mcp`, { method: 'POST', headers: authHeaders });
    expect(off.status).toBe(503);
    expect(await off.text()).toMatch(/disabled/);
    expect(gw.engine.servers.get('lazy')!.state.state).toBe('stopped');
    const client = await connectClient(gw.url, 'lazy');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'up' } }))).toBe('lazy: up');
  });

  it('hides and refuses tools the filter denies', async () => {
    gw = await startTestEngine([{ ...fixture('filtered'), options: { toolFilter: { deny: ['crash', 'env'] } } }]);
    const client = await connectClient(gw.url, 'filtered');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('crash');
    expect(names).not.toContain('env');
    await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow(/disabled for this server/);
    expect(gw.engine.servers.get('filtered')!.state.state).toBe('running');
  });
});

describe('per-session sharing', () => {
  it('gives each client session its own child, stops it when the session ends, and honours the process limit', async () => {
    gw = await startTestEngine([{ ...fixture('private'), options: { sharing: 'per-session' } }], { maxProcesses: 2 });
    const a = await connectClient(gw.url, 'private');
    const b = await connectClient(gw.url, 'private', 'sse');
    const pidA = Number(textOf(await a.callTool({ name: 'pid', arguments: {} })));
    const pidB = Number(textOf(await b.callTool({ name: 'pid', arguments: {} })));
    expect(pidA).not.toBe(pidB);
    expect(textOf(await a.callTool({ name: 'initialize-count', arguments: {} }))).toBe('1');
    await expect(connectClient(gw.url, 'private')).rejects.toThrow(/limit, TRANSPORT_MAX_PROCESSES, is 2/);
    await b.close();
    await expect.poll(() => alive(pidB), { timeout: 5000 }).toBe(false);
    expect(alive(pidA)).toBe(true);
    const c = await connectClient(gw.url, 'private');
    expect(Number(textOf(await c.callTool({ name: 'pid', arguments: {} })))).not.toBe(pidA);
    await Promise.all([a.close(), c.close()]);
  });
});
