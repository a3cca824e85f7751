// Issue 10, rule 1 (RELIABILITY R5): a server→client request reaches only the session whose request caused it;
// when the gateway cannot be sure, the child gets an error that says why and no client is asked. Two or more real
// SDK clients, every transport, per server and through the aggregate, against real children.
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from './helpers/clients.js';
import { everythingServer, fixture, startTestEngine, type TestEngine } from './helpers/engine.js';
import { connectPath, type AnyTransport } from './helpers/gateway-extras.js';

let gw: TestEngine;
beforeAll(async () => {
  gw = await startTestEngine(
    [
      fixture('fx', [], { options: { sharing: 'shared' } }),
      fixture('own', [], { options: { sharing: 'per-session' } }),
      {
        name: 'everything',
        command: process.execPath,
        args: [everythingServer, 'stdio'],
        env: {},
        options: { sharing: 'shared' },
      },
    ],
    { maxProcesses: 40 },
  );
});
afterAll(() => gw?.stop());

const caps = { sampling: {}, elicitation: {} };
const transports: AnyTransport[] = ['streamable', 'sse', 'ws'];
/** Where a client reaches server `name`: its own endpoint, or the aggregate (names prefixed where they collide). */
const routes = [
  {
    where: 'per server',
    path: (name: string, kind: AnyTransport) => `/servers/${name}/${leaf(kind)}`,
    tool: (_: string, t: string) => t,
  },
  {
    where: 'through the aggregate',
    path: (_: string, kind: AnyTransport) => `/${leaf(kind)}`,
    tool: (s: string, t: string) => `${s}__${t}`,
  },
];

function leaf(kind: AnyTransport): string {
  return kind === 'streamable' ? 'mcp' : kind;
}

/** A client that answers sampling and elicitation, recording every prompt it is shown. */
async function recordingClient(path: string, kind: AnyTransport, who: string) {
  const client = await connectPath(gw.url, path, kind, { name: who, capabilities: caps });
  const seen: string[] = [];
  client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
    const content = req.params.messages[0]?.content as { text?: string };
    seen.push(content.text ?? '');
    return { model: who, role: 'assistant' as const, content: { type: 'text' as const, text: `from ${who}` } };
  });
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    seen.push(req.params.message);
    return { action: 'accept' as const, content: { name: who } };
  });
  return { client, seen };
}

const inflight = (name: string) => gw.engine.servers.get(name)!.router.inflightCount;

describe.each(routes)('$where', ({ path, tool }) => {
  describe.each(transports)('over %s', (kind) => {
    it('20 runs: a question asked while another client is busy never reaches that client', async () => {
      const a = await recordingClient(path('fx', kind), kind, 'a');
      const b = await recordingClient(path('fx', kind), kind, 'b');
      let refused = 0;
      for (let run = 0; run < 20; run++) {
        const key = `busy-${kind}-${run}`;
        const busy = b.client.callTool({ name: tool('fx', 'wait'), arguments: { key } });
        await expect.poll(() => inflight('fx')).toBeGreaterThan(0);
        const method = run % 2 === 0 ? 'sample' : 'elicit';
        const asked = await a.client.callTool({
          name: tool('fx', method),
          arguments: { prompt: `secret ${run}`, message: `secret ${run}` },
        });
        if (textOf(asked).includes('cannot tell which client')) refused++;
        await a.client.callTool({ name: tool('fx', 'release'), arguments: { key } });
        await busy;
      }
      expect(b.seen).toEqual([]);
      expect(a.seen).toEqual([]);
      expect(refused).toBe(20);
      await Promise.all([a.client.close(), b.client.close()]);
    });

    it('delivers the question to the one client with a call in flight, and to nobody else', async () => {
      const a = await recordingClient(path('fx', kind), kind, 'a');
      const b = await recordingClient(path('fx', kind), kind, 'b');
      const fromA = await a.client.callTool({ name: tool('fx', 'sample'), arguments: { prompt: 'only a' } });
      expect(JSON.parse(textOf(fromA)).model).toBe('a');
      const fromB = await b.client.callTool({ name: tool('fx', 'elicit'), arguments: { message: 'only b' } });
      expect(JSON.parse(textOf(fromB)).content).toEqual({ name: 'b' });
      expect(a.seen).toEqual(['only a']);
      expect(b.seen).toEqual(['only b']);
      await Promise.all([a.client.close(), b.client.close()]);
    });

    it('refuses, rather than asks another client, when the caller did not declare the capability', async () => {
      const plain = await connectPath(gw.url, path('fx', kind), kind, { name: 'plain' });
      const other = await recordingClient(path('fx', kind), kind, 'other');
      const result = await plain.callTool({ name: tool('fx', 'sample'), arguments: { prompt: 'not yours' } });
      expect(textOf(result)).toContain('did not declare the sampling capability');
      expect(other.seen).toEqual([]);
      await Promise.all([plain.close(), other.client.close()]);
    });

    it('per-session: each busy client is asked its own question, even at the same time', async () => {
      const a = await recordingClient(path('own', kind), kind, 'a');
      const b = await recordingClient(path('own', kind), kind, 'b');
      const key = `own-${kind}`;
      const busy = b.client.callTool({ name: tool('own', 'wait'), arguments: { key } });
      await expect.poll(() => inflight('own')).toBeGreaterThan(0);
      const fromA = await a.client.callTool({ name: tool('own', 'sample'), arguments: { prompt: 'a alone' } });
      expect(JSON.parse(textOf(fromA)).model).toBe('a');
      const fromB = await b.client.callTool({ name: tool('own', 'sample'), arguments: { prompt: 'b alone' } });
      expect(JSON.parse(textOf(fromB)).model).toBe('b');
      // `wait` holds on b's own child: release it there.
      await b.client.callTool({ name: tool('own', 'release'), arguments: { key } });
      await busy;
      expect(a.seen).toEqual(['a alone']);
      expect(b.seen).toEqual(['b alone']);
      await Promise.all([a.client.close(), b.client.close()]);
    });
  });
});

describe('with @modelcontextprotocol/server-everything', () => {
  it.each(transports)('a sampling prompt never reaches the client running a long operation (%s)', async (kind) => {
    const a = await recordingClient(`/servers/everything/${leaf(kind)}`, kind, 'a');
    const b = await recordingClient(`/servers/everything/${leaf(kind)}`, kind, 'b');
    for (let run = 0; run < 3; run++) {
      const long = b.client.callTool({
        name: 'trigger-long-running-operation',
        arguments: { duration: 0.3, steps: 3 },
      });
      await expect.poll(() => inflight('everything')).toBeGreaterThan(0);
      const asked = await a.client.callTool({
        name: 'trigger-sampling-request',
        arguments: { prompt: `secret ${run}`, maxTokens: 5 },
      });
      // Answered by a when b's operation had already finished, refused while it ran: never b's to see.
      expect(textOf(asked) + JSON.stringify(asked)).toMatch(/from a|cannot tell which client/);
      await long;
    }
    expect(b.seen).toEqual([]);
    await Promise.all([a.client.close(), b.client.close()]);
  });
});
