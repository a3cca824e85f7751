/**
 * Large responses cross the gateway as the server's text with only the id swapped (protocol/raw-response.ts).
 * These tests hold that fast path to what the ordinary one promised: every transport, per server and through the
 * aggregate, concurrent clients each getting exactly their own answer, non-ASCII text byte-exact, and ids the
 * client chose (strings, integers past 2^53) given back as sent. (What is not valid JSON takes the ordinary path:
 * src/main/core/protocol/response-peek.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPath, type AnyTransport } from './helpers/gateway-extras.js';
import { fixture, startTestEngine, type TestEngine } from './helpers/engine.js';
import { mcpHeaders, openSession, postMcp, toolCall } from './helpers/http.js';
import { readSse } from './helpers/sse-reader.js';
import { textOf } from './helpers/clients.js';
import { TrafficRecorder } from '../src/main/core/telemetry/traffic-recorder.js';

let gw: TestEngine;
beforeAll(async () => {
  gw = await startTestEngine([fixture('fa'), fixture('fb')]);
});
afterAll(() => gw.stop());

// Past the size where the router stops parsing (64 K characters), with characters of 2, 3 and 4 UTF-8 bytes.
const unicode = (tag: string) => `${tag} é€🎉 `.repeat(12_000);

const paths: Array<[string, AnyTransport, string]> = [
  ['per server', 'streamable', '/servers/fa/mcp'],
  ['per server', 'sse', '/servers/fa/sse'],
  ['per server', 'ws', '/servers/fa/ws'],
  ['aggregate', 'streamable', '/mcp'],
  ['aggregate', 'sse', '/sse'],
  ['aggregate', 'ws', '/ws'],
];

describe.each(paths)('a large answer (%s, %s)', (_what, kind, path) => {
  it('reaches each of two concurrent clients exactly, as its own answer', async () => {
    const a = await connectPath(gw.url, path, kind, { name: 'alpha' });
    const b = await connectPath(gw.url, path, kind, { name: 'beta' });
    try {
      // Both servers have the same tools, so the aggregate prefixes them all.
      const tool = (name: string) => (path.startsWith('/servers') ? name : `fa__${name}`);
      const [ra, rb, rc] = await Promise.all([
        a.callTool({ name: tool('echo'), arguments: { message: unicode('alpha') } }),
        b.callTool({ name: tool('echo'), arguments: { message: unicode('beta') } }),
        b.callTool({ name: tool('big'), arguments: { bytes: 300_000 } }),
      ]);
      expect(textOf(ra)).toBe(`fa: ${unicode('alpha')}`);
      expect(textOf(rb)).toBe(`fa: ${unicode('beta')}`);
      expect(textOf(rc)).toBe('x'.repeat(300_000));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('ids the client chose', () => {
  it('come back as sent on a large answer: strings and integers JSON numbers cannot hold', async () => {
    const endpoint = `${gw.url}/servers/fa/mcp`;
    const session = await openSession(endpoint);
    const headers = { 'mcp-session-id': session };
    const huge = '123456789012345678901234567890';
    const res = await postMcp(
      endpoint,
      JSON.stringify(toolCall(0, 'big', { bytes: 100_000 })).replace(':0,', `:${huge},`),
      headers,
    );
    expect(res.status).toBe(200);
    expect(res.body.endsWith(`"id":${huge}}`) || res.body.startsWith(`{"jsonrpc":"2.0","id":${huge},`)).toBe(true);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    const text = await postMcp(endpoint, toolCall('call "one"', 'big', { bytes: 100_000 }), headers);
    expect(JSON.parse(text.body)).toMatchObject({
      id: 'call "one"',
      result: { content: [{ text: 'x'.repeat(100_000) }] },
    });
  });
});

describe('a large answer through the aggregate', () => {
  it("goes on as the server's bytes when nothing in it changes, and is rewritten when a URI needs its namespace", async () => {
    // The fixture writes `spaced` answers with a space after each colon and comma: the spaces survive only if
    // the gateway never parsed the answer and wrote it again.
    const spacedStart = (id: number) =>
      `{"jsonrpc": "2.0", "id": ${id}, "result": {"content": [{"type": "text", "text": "xxx`;
    const perServer = `${gw.url}/servers/fa/mcp`;
    const direct = await postMcp(perServer, toolCall(7, 'big', { bytes: 100_000, spaced: true }), {
      'mcp-session-id': await openSession(perServer),
    });
    expect(direct.body.startsWith(spacedStart(7))).toBe(true);

    const endpoint = `${gw.url}/mcp`;
    const headers = { 'mcp-session-id': await openSession(endpoint) };
    const plain = await postMcp(endpoint, toolCall(1, 'fa__big', { bytes: 100_000, spaced: true }), headers);
    expect(plain.body.startsWith(spacedStart(1))).toBe(true);
    expect(JSON.parse(plain.body).result.content[0].text).toBe('x'.repeat(100_000));

    const link = 'file:///notes/a.md';
    const linked = await postMcp(endpoint, toolCall(2, 'fa__big', { bytes: 100_000, spaced: true, link }), headers);
    expect(linked.body.startsWith(spacedStart(2))).toBe(false); // parsed, to namespace the link
    const answer = JSON.parse(linked.body);
    expect(answer.id).toBe(2);
    expect(answer.result.content[0].text).toBe('x'.repeat(100_000));
    expect(answer.result.content[1]).toMatchObject({ type: 'resource_link', uri: `switchboard://fa/${link}` });
  });
});

describe('a large answer on a stream', () => {
  it("goes out as one SSE event of the server's bytes, and a resume replays it whole", async () => {
    const endpoint = `${gw.url}/servers/fa/mcp`;
    const session = await openSession(endpoint);
    const call = toolCall('s1', 'slow', { ms: 40, steps: 1, big: { bytes: 100_000, spaced: true } });
    // Progress first, so the POST is answered as a stream and the large answer is an event of it.
    const body = JSON.stringify({ ...call, params: { ...call.params, _meta: { progressToken: 'p' } } });
    const post = await readSse(endpoint, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-session-id': session },
      body,
    });
    await post.ended;
    expect(post.events.map((e) => JSON.parse(e.data).method ?? 'answer')).toEqual(['notifications/progress', 'answer']);
    const answer = post.events[1]!.data;
    expect(
      answer.startsWith('{"jsonrpc": "2.0", "id": "s1", "result": {"content": [{"type": "text", "text": "xxx'),
    ).toBe(true);
    expect(JSON.parse(answer).result.content[0].text).toBe('x'.repeat(100_000));

    const resumed = await readSse(endpoint, {
      headers: {
        ...mcpHeaders,
        accept: 'text/event-stream',
        'mcp-session-id': session,
        'last-event-id': post.events[0]!.id!,
      },
    });
    await resumed.until((r) => r.events.length >= 1);
    expect(resumed.events[0]!.data).toBe(answer);
    resumed.drop();
  });
});

describe('what telemetry sees of a large answer', () => {
  it('records its start, marked truncated, with its full size in bytes; a small answer whole', async () => {
    const recorder = new TrafficRecorder();
    const router = gw.engine.servers.get('fb')!.router;
    router.observe(recorder);
    try {
      const endpoint = `${gw.url}/servers/fb/mcp`;
      const headers = { 'mcp-session-id': await openSession(endpoint) };
      const res = await postMcp(endpoint, toolCall(5, 'echo', { message: unicode('gamma') }), headers);
      expect(JSON.parse(res.body).result.content[0].text).toBe(`fb: ${unicode('gamma')}`);
      await postMcp(endpoint, toolCall(6, 'echo', { message: 'small' }), headers);
      const answers = recorder.query({ server: 'fb' }).filter((r) => r.kind === 'response');
      const [large, small] = answers.slice(-2);
      expect(large).toMatchObject({ id: 5, truncated: true, size: Buffer.byteLength(res.body) });
      expect(large!.payload.length).toBe(64 * 1024);
      // The payload is the server's text (its own id), cut where the recorder cuts; no character is split.
      expect(large!.payload).toContain(`"text":"fb: ${unicode('gamma').slice(0, 1000)}`);
      expect(large!.payload).not.toContain('\ufffd');
      expect(small).toMatchObject({ id: 6, truncated: false });
      expect(JSON.parse(small!.payload).result.content[0].text).toBe('fb: small');
    } finally {
      router.observe(null);
      recorder.dispose();
    }
  });
});
