// The aggregate endpoint (issue 7): one URL for every running server, with real SDK clients, real children
// (server-everything, server-memory and the fixture server) and the aggregate wired the way the engine wires it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from './helpers/clients.js';
import { everythingServer, fixture, memoryServer, startTestEngine, type TestEngine } from './helpers/engine.js';
import { connectPath, wireGatewayExtras, type AnyTransport, type GatewayExtras } from './helpers/gateway-extras.js';

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

let gw: TestEngine;
let extras: GatewayExtras;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-aggregate-'));
  gw = await startTestEngine([
    fixture('fx', [], { options: { toolFilter: { deny: ['crash'] }, sharing: 'shared' } }),
    {
      name: 'everything',
      command: process.execPath,
      args: [everythingServer, 'stdio'],
      env: {},
      options: { sharing: 'shared' },
    },
    {
      name: 'memory',
      command: process.execPath,
      args: [memoryServer],
      env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
    },
  ]);
  extras = wireGatewayExtras(gw.engine);
});
afterAll(async () => {
  extras?.close();
  await gw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const paths: Record<AnyTransport, string> = { streamable: '/mcp', sse: '/sse', ws: '/ws' };

describe.each<AnyTransport>(['streamable', 'sse', 'ws'])('the aggregate over %s', (kind) => {
  let client: Client;
  beforeAll(async () => {
    client = await connectPath(gw.url, paths[kind], kind, { name: `agg-${kind}` });
  });
  afterAll(() => client?.close());

  it('lists the tools of every server with safe, unique names; the colliding echo is prefixed', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const name of names) expect(name).toMatch(NAME);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['fx__echo', 'everything__echo', 'create_entities', 'slow']));
    expect(names).not.toContain('echo');
    expect(names).not.toContain('crash'); // the fixture's tool filter holds in the aggregate too
  });

  it("calls both echos and gets each server's own answer", async () => {
    expect(textOf(await client.callTool({ name: 'fx__echo', arguments: { message: 'one' } }))).toBe('fx: one');
    expect(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'two' } }))).toContain('two');
    const created = await client.callTool({
      name: 'create_entities',
      arguments: { entities: [{ name: `Ada-${kind}`, entityType: 'person', observations: ['wrote a program'] }] },
    });
    expect(textOf(created)).toContain(`Ada-${kind}`);
  });

  it('refuses an unknown or filtered tool with a JSON-RPC error', async () => {
    await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow(/Unknown tool: crash/);
    await expect(client.callTool({ name: 'nope', arguments: {} })).rejects.toThrow(/Unknown tool: nope/);
  });

  it('namespaces resources by server and reads them through the owner', async () => {
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect(r.uri).toMatch(/^switchboard:\/\/(everything|memory|fx)\//);
    const first = resources.find((r) => r.uri.startsWith('switchboard://everything/'))!;
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0]!.uri).toBe(first.uri);
    const { resourceTemplates } = await client.listResourceTemplates();
    for (const t of resourceTemplates) expect(t.uriTemplate).toMatch(/^switchboard:\/\/(everything|fx)\//);
  });

  it('reads a URI given as its server wrote it when exactly one server serves it; -32002 when none does', async () => {
    const listed = await client.readResource({ uri: 'fixture://fx/a' });
    expect(listed.contents[0]).toMatchObject({ text: 'fx read fixture://fx/a' });
    expect(listed.contents[0]!.uri).toBe('switchboard://fx/fixture://fx/a');
    const templated = await client.readResource({ uri: 'fixture://fx/items/7' });
    expect(templated.contents[0]).toMatchObject({ text: 'fx read fixture://fx/items/7' });
    await expect(client.readResource({ uri: 'fixture://nobody/a' })).rejects.toMatchObject({ code: -32002 });
  });

  it('lists and gets prompts through their owner', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.length).toBeGreaterThan(0);
    for (const p of prompts) expect(p.name).toMatch(NAME);
    const simple = prompts.find((p) => !p.arguments?.some((a) => a.required))!;
    const got = await client.getPrompt({ name: simple.name });
    expect(got.messages.length).toBeGreaterThan(0);
  });

  it('delivers progress with the token the client chose', async () => {
    const seen: number[] = [];
    await client.callTool({ name: 'slow', arguments: { ms: 150, steps: 3 } }, undefined, {
      onprogress: (p) => seen.push(p.progress),
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('routing through the aggregate', () => {
  it('sends sampling to the aggregate client whose call asked for it (R5)', async () => {
    const answer = (c: Client, who: string) =>
      c.setRequestHandler(CreateMessageRequestSchema, async () => ({
        model: who,
        role: 'assistant' as const,
        content: { type: 'text' as const, text: `from ${who}` },
      }));
    const a = await connectPath(gw.url, '/mcp', 'streamable', { name: 'a', capabilities: { sampling: {} } });
    const b = await connectPath(gw.url, '/ws', 'ws', { name: 'b', capabilities: { sampling: {} } });
    answer(a, 'a');
    answer(b, 'b');
    const fromB = await b.callTool({ name: 'sample', arguments: { prompt: 'q' } });
    expect(JSON.parse(textOf(fromB)).model).toBe('b');
    const fromA = await a.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'hello', maxTokens: 5 },
    });
    expect(textOf(fromA)).toContain('from a');
    await Promise.all([a.close(), b.close()]);
  });

  it('tells clients the tools changed when a server stops and starts, and the list follows', async () => {
    const client = await connectPath(gw.url, '/mcp', 'streamable');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('create_entities');
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changes++);
    await gw.engine.stopServer('memory');
    await expect.poll(() => changes, { timeout: 5000 }).toBeGreaterThan(0);
    const without = (await client.listTools()).tools.map((t) => t.name);
    expect(without).not.toContain('create_entities');
    expect(without).toContain('fx__echo');

    const before = changes;
    await gw.engine.startServer('memory');
    await expect.poll(() => changes, { timeout: 10_000 }).toBeGreaterThan(before);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('create_entities');
    await client.close();
  });

  it('answers a call in flight on a server that stops with an error, not silence', async () => {
    const client = await connectPath(gw.url, '/mcp', 'streamable');
    const failed = expect(client.callTool({ name: 'slow', arguments: { ms: 5000 } })).rejects.toThrow(/"fx"/);
    await new Promise((r) => setTimeout(r, 100));
    await gw.engine.stopServer('fx');
    await failed;
    await gw.engine.startServer('fx');
    await expect
      .poll(async () => (await client.listTools()).tools.map((t) => t.name), { timeout: 10_000 })
      .toContain('fx__echo');
    expect(textOf(await client.callTool({ name: 'fx__echo', arguments: { message: 'back' } }))).toBe('fx: back');
    await client.close();
  });

  it('keeps /servers/<name>/… working beside the aggregate, WebSocket included', async () => {
    const direct = await connectPath(gw.url, '/servers/fx/ws', 'ws');
    expect((await direct.listTools()).tools.map((t) => t.name)).toContain('echo');
    expect(textOf(await direct.callTool({ name: 'echo', arguments: { message: 'ws' } }))).toBe('fx: ws');
    await direct.close();
    const http = await connectPath(gw.url, '/servers/everything/mcp', 'streamable');
    expect((await http.listTools()).tools.map((t) => t.name)).toContain('echo');
    await http.close();
  });
});
