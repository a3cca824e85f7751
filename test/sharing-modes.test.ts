// Issue 10, rule 2 (RELIABILITY R7): each client sees what it would see with a server of its own. per-session
// children get the client's own initialize; a shared child's per-client state (log level, subscriptions, roots)
// is kept per session by the gateway; auto shares until the server asks a client something.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from './helpers/clients.js';
import { everythingServer, fixture, startTestEngine, type TestEngine } from './helpers/engine.js';
import { connectPath, type AnyTransport } from './helpers/gateway-extras.js';

const transports: AnyTransport[] = ['streamable', 'sse', 'ws'];
const leaf = (kind: AnyTransport) => (kind === 'streamable' ? 'mcp' : kind);
/** Ends the session as a well-behaved client does (Streamable HTTP: DELETE), then closes. */
async function bye(client: Awaited<ReturnType<typeof connectPath>>): Promise<void> {
  await (client.transport as { terminateSession?: () => Promise<void> } | undefined)?.terminateSession?.();
  await client.close();
}
const state = async (client: Awaited<ReturnType<typeof connectPath>>, tool = 'state') =>
  JSON.parse(textOf(await client.callTool({ name: tool, arguments: {} })));

let gw: TestEngine;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-sharing-'));
  gw = await startTestEngine(
    [
      fixture('shared', [], {
        options: { sharing: 'shared', roots: [{ uri: 'file:///srv/project', name: 'project' }] },
      }),
      fixture('own', [], { options: { sharing: 'per-session', maxChildren: 2 } }),
      fixture('auto', []),
      {
        name: 'ev-own',
        command: process.execPath,
        args: [everythingServer, 'stdio'],
        env: {},
        options: { sharing: 'per-session' },
      },
      { name: 'ev-auto', command: process.execPath, args: [everythingServer, 'stdio'], env: {} },
    ],
    { maxProcesses: 40, dataDir },
  );
});
afterAll(async () => {
  await gw?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each(transports)('per-session over %s', (kind) => {
  it("initializes each child with its client's own initialize, and lists what that client would see", async () => {
    const path = `/servers/own/${leaf(kind)}`;
    const a = await connectPath(gw.url, path, kind, { name: 'alpha', capabilities: { sampling: {} } });
    const b = await connectPath(gw.url, path, kind, { name: 'beta', capabilities: {} });
    const [sa, sb] = await Promise.all([state(a), state(b)]);
    expect(sa.initialize.clientInfo.name).toBe('alpha');
    expect(sa.initialize.capabilities).toEqual({ sampling: {} });
    expect(sb.initialize.clientInfo.name).toBe('beta');
    expect(textOf(await b.callTool({ name: 'initialize-count', arguments: {} }))).toBe('1');
    // Over the server's maxChildren (2), with both sessions in use: a clear refusal; the first two keep working.
    await expect(connectPath(gw.url, path, kind, { name: 'gamma' })).rejects.toThrow(/maxChildren/);
    expect((await state(a)).initialize.clientInfo.name).toBe('alpha');
    await Promise.all([bye(a), bye(b)]);
  });

  it('server-everything offers sampling tools only to the client that can sample, and asks it for roots', async () => {
    const path = `/servers/ev-own/${leaf(kind)}`;
    const sampler = await connectPath(gw.url, path, kind, { name: 's', capabilities: { sampling: {}, roots: {} } });
    const plain = await connectPath(gw.url, path, kind, { name: 'p' });
    sampler.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///mine', name: 'mine' }] }));
    sampler.setRequestHandler(CreateMessageRequestSchema, async () => ({
      model: 's',
      role: 'assistant' as const,
      content: { type: 'text' as const, text: 'sampled by s' },
    }));
    const names = async (c: typeof plain) => (await c.listTools()).tools.map((t) => t.name);
    await expect.poll(() => names(sampler)).toContain('trigger-sampling-request');
    expect(await names(plain)).not.toContain('trigger-sampling-request');
    const roots = await sampler.callTool({ name: 'get-roots-list', arguments: {} });
    expect(textOf(roots)).toContain('file:///mine');
    await Promise.all([bye(sampler), bye(plain)]);
  });
});

describe.each(transports)('shared over %s', (kind) => {
  const path = `/servers/shared/${leaf(kind)}`;

  it('keeps each client its own log level; the child runs at the most verbose one asked for', async () => {
    const quiet = await connectPath(gw.url, path, kind, { name: 'quiet' });
    const chatty = await connectPath(gw.url, path, kind, { name: 'chatty' });
    const got: Record<string, string[]> = { quiet: [], chatty: [] };
    quiet.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => void got.quiet!.push(n.params.level));
    chatty.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => void got.chatty!.push(n.params.level));
    await quiet.setLoggingLevel('error');
    await chatty.setLoggingLevel('debug');
    expect((await state(quiet)).logLevel).toBe('debug');
    await chatty.callTool({ name: 'log', arguments: {} });
    await expect.poll(() => got.chatty!.length).toBe(5);
    expect(got.chatty).toEqual(['debug', 'info', 'notice', 'warning', 'error']);
    await expect.poll(() => got.quiet!.length).toBe(1);
    expect(got.quiet).toEqual(['error']);
    await bye(chatty); // the most verbose client leaves: the child follows the one that stays
    await expect.poll(async () => (await state(quiet)).logLevel).toBe('error');
    await bye(quiet);
  });

  it("one client's unsubscribe never ends another's subscription; the last one out unsubscribes the child", async () => {
    const a = await connectPath(gw.url, path, kind, { name: 'a' });
    const b = await connectPath(gw.url, path, kind, { name: 'b' });
    const updates = { a: 0, b: 0 };
    a.setNotificationHandler(ResourceUpdatedNotificationSchema, async () => void updates.a++);
    b.setNotificationHandler(ResourceUpdatedNotificationSchema, async () => void updates.b++);
    const uri = `fixture://shared/a`;
    await a.subscribeResource({ uri });
    await b.subscribeResource({ uri });
    await a.unsubscribeResource({ uri });
    expect((await state(b)).subscribed).toEqual([uri]);
    await a.callTool({ name: 'touch', arguments: { uri } });
    await expect.poll(() => updates.b).toBe(1);
    expect(updates.a).toBe(0);
    await bye(b);
    await expect.poll(async () => (await state(a)).subscribed).toEqual([]);
    await bye(a);
  });

  it("answers the child's roots/list with the roots configured on the server, never a client's", async () => {
    const client = await connectPath(gw.url, path, kind, { name: 'r', capabilities: { roots: { listChanged: true } } });
    let asked = 0;
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      asked++;
      return { roots: [{ uri: 'file:///client-root' }] };
    });
    const result = JSON.parse(textOf(await client.callTool({ name: 'roots', arguments: {} })));
    expect(result.roots).toEqual([{ uri: 'file:///srv/project', name: 'project' }]);
    expect(asked).toBe(0);
    expect((await state(client)).initialize.capabilities.roots).toEqual({ listChanged: false });
    await bye(client);
  });
});

describe('auto', () => {
  it('shares until the server asks a client something, then gives each new session its own child', async () => {
    expect(gw.engine.sharingDecisions.get('auto')).toBeUndefined();
    const first = await connectPath(gw.url, '/servers/auto/mcp', 'streamable', {
      name: 'first',
      capabilities: { sampling: {} },
    });
    const second = await connectPath(gw.url, '/servers/auto/mcp', 'streamable', { name: 'second' });
    expect(textOf(await second.callTool({ name: 'initialize-count', arguments: {} }))).toBe('1');
    first.setRequestHandler(CreateMessageRequestSchema, async () => ({
      model: 'first',
      role: 'assistant' as const,
      content: { type: 'text' as const, text: 'ok' },
    }));
    expect(JSON.parse(textOf(await first.callTool({ name: 'sample', arguments: {} }))).model).toBe('first');
    const decision = gw.engine.sharingDecisions.get('auto');
    expect(decision?.reason).toContain('sampling/createMessage');
    expect(gw.engine.info(gw.url).servers.find((s) => s.name === 'auto')).toMatchObject({
      sharingDecision: { mode: 'per-session' },
    });
    const third = await connectPath(gw.url, '/servers/auto/mcp', 'streamable', { name: 'third' });
    expect((await state(third)).initialize.clientInfo.name).toBe('third');
    expect((await state(second)).initialize.clientInfo.name).toBe('mcp-switchboard');
    gw.engine.resetSharingDecision('auto');
    const fourth = await connectPath(gw.url, '/servers/auto/mcp', 'streamable', { name: 'fourth' });
    expect((await state(fourth)).initialize.clientInfo.name).toBe('mcp-switchboard');
    await Promise.all([first, second, third, fourth].map(bye));
  });

  it('isolates a client whose capabilities a shared child is not offered', async () => {
    const tasks = await connectPath(gw.url, '/servers/auto/mcp', 'streamable', {
      name: 'tasky',
      capabilities: { tasks: { list: {} } } as never,
    });
    expect((await state(tasks)).initialize.clientInfo.name).toBe('tasky');
    expect(gw.engine.sharingDecisions.get('auto')).toBeUndefined();
    await bye(tasks);
  });

  it("is not fooled by Switchboard's own answers: server-everything's roots request does not switch it", async () => {
    const client = await connectPath(gw.url, '/servers/ev-auto/mcp', 'streamable', {
      name: 'c',
      capabilities: { roots: { listChanged: true } },
    });
    const roots = await client.callTool({ name: 'get-roots-list', arguments: {} });
    expect(JSON.stringify(roots)).not.toContain('file:///');
    expect(gw.engine.sharingDecisions.get('ev-auto')).toBeUndefined();
    await bye(client);
  });
});
