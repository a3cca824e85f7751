import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, textOf, type TransportKind } from './helpers/clients.js';
import { everythingServer, fixture, startTestEngine, type TestEngine } from './helpers/engine.js';

let gw: TestEngine;
beforeAll(async () => {
  // Shared on purpose: these tests are about one child serving many sessions (auto and per-session have their own).
  gw = await startTestEngine([
    fixture('fx', [], { options: { sharing: 'shared' } }),
    {
      name: 'everything',
      command: process.execPath,
      args: [everythingServer, 'stdio'],
      env: {},
      options: { sharing: 'shared' },
    },
  ]);
});
afterAll(() => gw?.stop());

const samplingCaps = { sampling: {} };
function answerSampling(client: Awaited<ReturnType<typeof connectClient>>, who: string, calls: string[]) {
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    calls.push(who);
    return { model: who, role: 'assistant' as const, content: { type: 'text' as const, text: `from ${who}` } };
  });
}

describe.each<TransportKind>(['streamable', 'sse'])('over %s', (kind) => {
  it('lists and calls the tools of a stdio server', async () => {
    const client = await connectClient(gw.url, 'fx', kind);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hello' } }))).toBe('fx: hello');
    await client.close();
  });

  it('works with @modelcontextprotocol/server-everything', async () => {
    const client = await connectClient(gw.url, 'everything', kind);
    expect(client.getServerVersion()?.name).toContain('everything');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'hi there' } });
    expect(textOf(result)).toContain('hi there');
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const { prompts } = await client.listPrompts();
    expect(prompts.length).toBeGreaterThan(0);
    await client.close();
  });

  it('sends sampling only to the client whose call asked for it, and refuses when two are busy (R5)', async () => {
    const calls: string[] = [];
    const a = await connectClient(gw.url, 'fx', kind, { name: 'a', capabilities: samplingCaps });
    const b = await connectClient(gw.url, 'fx', kind, { name: 'b', capabilities: samplingCaps });
    answerSampling(a, 'a', calls);
    answerSampling(b, 'b', calls);
    // a alone has a call in flight: the question can only be a's.
    const fromA = await a.callTool({ name: 'sample', arguments: { prompt: 'p' } });
    expect(JSON.parse(textOf(fromA)).model).toBe('a');
    // b is busy with a call of its own (in flight: it waits for a release) while a's call asks: over stdio the
    // child cannot say whose call asked, so nobody is sent the question and the child is told why.
    const busy = b.callTool({ name: 'wait', arguments: { key: `r5-${kind}` } });
    await expect.poll(() => gw.engine.servers.get('fx')!.router.inflightCount).toBe(1);
    const refused = await a.callTool({ name: 'sample', arguments: { prompt: 'q' } });
    expect(textOf(refused)).toContain('cannot tell which client');
    await a.callTool({ name: 'release', arguments: { key: `r5-${kind}` } });
    await busy;
    expect(calls).toEqual(['a']);
    await Promise.all([a.close(), b.close()]);
  });

  it('routes a server request to an error when no client can answer it', async () => {
    const client = await connectClient(gw.url, 'fx', kind, { name: 'no-roots' });
    const result = await client.callTool({ name: 'roots', arguments: {} });
    // A shared child is offered Switchboard's roots (none configured here), never a client's.
    expect(textOf(result)).toContain('offered this shared server no roots');
    await client.close();
  });

  it('delivers progress to its requester only, with the token it chose', async () => {
    const a = await connectClient(gw.url, 'fx', kind, { name: 'a' });
    const b = await connectClient(gw.url, 'fx', kind, { name: 'b' });
    const seenA: number[] = [];
    const seenB: number[] = [];
    const callA = a.callTool({ name: 'slow', arguments: { ms: 200, steps: 4 } }, undefined, {
      onprogress: (p) => seenA.push(p.progress),
    });
    const callB = b.callTool({ name: 'slow', arguments: { ms: 100, steps: 2 } }, undefined, {
      onprogress: (p) => seenB.push(p.progress),
    });
    await Promise.all([callA, callB]);
    expect(seenA).toEqual([1, 2, 3, 4]);
    expect(seenB).toEqual([1, 2]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('sharing one child', () => {
  it('3 clients × 1,000 concurrent requests with overlapping ids each get exactly their own answers (R1)', async () => {
    const kinds: TransportKind[] = ['streamable', 'sse', 'streamable'];
    const clients = await Promise.all(kinds.map((k, i) => connectClient(gw.url, 'fx', k, { name: `c${i}` })));
    const results = await Promise.all(
      clients.map((client, c) =>
        Promise.all(
          Array.from({ length: 1000 }, (_, n) =>
            client.callTool({ name: 'echo', arguments: { message: `c${c}-${n}` } }).then(textOf),
          ),
        ),
      ),
    );
    results.forEach((answers, c) => {
      expect(answers).toEqual(Array.from({ length: 1000 }, (_, n) => `fx: c${c}-${n}`));
    });
    await Promise.all(clients.map((c) => c.close()));
  });

  it("answers a second client's initialize from the cache: the child sees one initialize (R4)", async () => {
    const clients = await Promise.all([1, 2, 3].map(() => connectClient(gw.url, 'fx')));
    for (const c of clients) expect(c.getServerVersion()?.name).toBe('fx');
    expect(textOf(await clients[2]!.callTool({ name: 'initialize-count', arguments: {} }))).toBe('1');
    await Promise.all(clients.map((c) => c.close()));
  });

  it('routes sampling from server-everything to the client that called the tool', async () => {
    const calls: string[] = [];
    const a = await connectClient(gw.url, 'everything', 'streamable', { name: 'a', capabilities: samplingCaps });
    const b = await connectClient(gw.url, 'everything', 'sse', { name: 'b', capabilities: samplingCaps });
    answerSampling(a, 'a', calls);
    answerSampling(b, 'b', calls);
    const result = await b.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hello', maxTokens: 5 } });
    expect(textOf(result)).toContain('from b');
    expect(calls).toEqual(['b']);
    await Promise.all([a.close(), b.close()]);
  });
});
