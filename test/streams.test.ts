// Streams of the gateway (issue 7; RELIABILITY R3, R6): resumable SSE streams, keepalive on every stream,
// slow consumers cut off while others keep going, and JSON-RPC batches by protocol version. Raw HTTP on real
// sockets against a real engine and a real child, so each test controls exactly what the client reads and when.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TOKEN, authHeaders, fixture, startTestEngine, type TestEngine } from './helpers/engine.js';
import { wireGatewayExtras, type GatewayExtras } from './helpers/gateway-extras.js';
import { initializeMessage, mcpHeaders, openSession, postMcp, toolCall, toolText } from './helpers/http.js';
import { messages, readSse } from './helpers/sse-reader.js';

let gw: TestEngine;
let extras: GatewayExtras;
let mcp: string;

beforeAll(async () => {
  gw = await startTestEngine([fixture('fx')], { keepaliveMs: 150, maxStreamBufferBytes: 3 * 1024 * 1024 });
  extras = wireGatewayExtras(gw.engine);
  mcp = `${gw.url}/servers/fx/mcp`;
});
afterAll(async () => {
  extras?.close();
  await gw?.stop();
});

const steadyClient = fileURLToPath(new URL('./fixtures/steady-client.mjs', import.meta.url));
const sse = { ...authHeaders, accept: 'text/event-stream' };
const notes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `note ${from + i}`);
const dataOf = (msgs: Array<{ params?: { data?: unknown } }>) => msgs.map((m) => m.params?.data);

function withProgress<T extends { params: object }>(call: T, token: string): T {
  return { ...call, params: { ...call.params, _meta: { progressToken: token } } };
}

async function notify(sessionId: string, count: number, bytes = 0): Promise<void> {
  const res = await postMcp(mcp, toolCall(`n-${Math.random()}`, 'notify-many', { count, bytes }), {
    'mcp-session-id': sessionId,
    accept: 'application/json', // plain JSON however long it takes: no keepalive upgrade to a stream
  });
  expect(toolText(res)).toBe('sent');
}

describe('resumable streams (R3)', () => {
  it('a GET stream dropped and resumed with Last-Event-ID gets exactly the events it missed', async () => {
    const session = await openSession(mcp);
    const first = await readSse(mcp, { headers: { ...sse, 'mcp-session-id': session } });
    await notify(session, 3);
    await first.until((r) => messages(r).length === 3);
    expect(first.events.every((e) => /^\d+\.\d+$/.test(e.id ?? ''))).toBe(true);
    const lastSeen = first.events.at(-1)!.id!;
    first.drop();
    await new Promise((r) => setTimeout(r, 50));

    await notify(session, 4); // sent while the client is away
    // Events of another stream (a POST answered as a stream, with progress) must never be replayed here.
    const post = await readSse(mcp, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-session-id': session },
      body: JSON.stringify(withProgress(toolCall(9, 'slow', { ms: 60, steps: 2 }), 't')),
    });
    await post.ended;
    expect(messages(post).map((m) => m.method ?? 'response')).toEqual([
      'notifications/progress',
      'notifications/progress',
      'response',
    ]);

    const resumed = await readSse(mcp, { headers: { ...sse, 'mcp-session-id': session, 'last-event-id': lastSeen } });
    expect(resumed.status).toBe(200);
    await resumed.until((r) => messages(r).length === 4);
    expect(dataOf(messages(resumed))).toEqual(notes(4));
    // …and it is the live stream again.
    await notify(session, 1);
    await resumed.until((r) => messages(r).length === 5);
    expect(dataOf(messages(resumed))).toEqual([...notes(4), 'note 0']);
    resumed.drop();
  });

  it('a POST stream dropped mid-call is resumed by a GET with Last-Event-ID: the rest of its events, then its answer', async () => {
    const session = await openSession(mcp);
    const call = withProgress(toolCall('long', 'slow', { ms: 600, steps: 3 }), 'p');
    const post = await readSse(mcp, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-session-id': session },
      body: JSON.stringify(call),
    });
    await post.until((r) => messages(r).length === 1);
    const lastSeen = post.events[0]!.id!;
    post.drop();

    const resumed = await readSse(mcp, { headers: { ...sse, 'mcp-session-id': session, 'last-event-id': lastSeen } });
    await resumed.ended; // the stream ends once the call is answered
    const rest = messages(resumed);
    expect(rest.map((m) => m.params?.progress ?? 'answer')).toEqual([2, 3, 'answer']);
    expect(rest.at(-1)!.id).toBe('long');
    expect(rest.at(-1)!.result!.content[0].text).toBe('slept 600');
  });

  it('refuses a Last-Event-ID that names no stream of the session', async () => {
    const session = await openSession(mcp);
    for (const id of ['999.1', 'nonsense']) {
      const res = await readSse(mcp, { headers: { ...sse, 'mcp-session-id': session, 'last-event-id': id } });
      expect(res.status, id).toBe(400);
    }
  });
});

describe('keepalive on every stream', () => {
  it('GET streams, legacy SSE streams and long POSTs get comment pings; WebSockets get pings', async () => {
    const session = await openSession(mcp);
    const get = await readSse(mcp, { headers: { ...sse, 'mcp-session-id': session } });
    const legacy = await readSse(`${gw.url}/servers/fx/sse`, { headers: sse });
    // A call longer than the interval, from a client that accepts a stream: it becomes one and is pinged.
    const long = await readSse(mcp, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-session-id': session },
      body: JSON.stringify(toolCall('k', 'slow', { ms: 500 })),
    });
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/servers/fx/ws`, 'mcp', { headers: authHeaders });
    let pings = 0;
    ws.on('ping', () => pings++);
    await Promise.all([get, legacy].map((r) => r.until((x) => x.comments.includes('keepalive'), 2000)));
    await long.ended;
    expect(long.headers['content-type']).toBe('text/event-stream');
    expect(long.comments).toContain('keepalive');
    expect(messages(long).at(-1)!.result!.content[0].text).toBe('slept 500');
    await expect.poll(() => pings, { timeout: 2000 }).toBeGreaterThan(0);
    ws.close();
    get.drop();
    legacy.drop();
  });
});

describe('slow consumers (R6)', () => {
  it('a reader that stops reading is cut off during 10,000 notifications; a normal client keeps going', async () => {
    const fx = gw.engine.servers.get('fx')!;
    // The normal client runs in a process of its own, so it reads while the gateway writes, as real clients do.
    const steady = spawn(process.execPath, [steadyClient, mcp, TOKEN, '10000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: steady.stdout! })[Symbol.asyncIterator]();
    expect(JSON.parse((await lines.next()).value as string)).toEqual({ ready: true });

    // A raw socket that asks for the GET stream, then never reads a byte.
    const slow = await openSession(mcp);
    const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.pause();
    socket.write(
      `GET /servers/fx/mcp HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n` +
        `authorization: Bearer ${TOKEN}\r\nmcp-session-id: ${slow}\r\n\r\n`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const trigger = await openSession(mcp);
    const before = fx.sessionCount;
    // 10,000 notes of 1.5 KB: 15 MB per session, far past what the kernel buffers for a reader that stops
    // (about 2.5 MB on loopback) and twice the 3 MB limit; a reader that keeps up stays well under it.
    await notify(trigger, 10_000, 1500);
    await expect
      .poll(() => gw.logs.some((l) => l.message.includes('not reading its stream')), { timeout: 10_000 })
      .toBe(true);
    expect(fx.sessionCount).toBe(before - 1);
    const gone = await postMcp(mcp, toolCall(1, 'echo', { message: 'x' }), { 'mcp-session-id': slow });
    expect(gone.status).toBe(404);

    const summary = JSON.parse((await lines.next()).value as string) as {
      notes: number;
      echoes: number;
      errors: string[];
    };
    expect(summary).toMatchObject({ notes: 10_000, errors: [] });
    expect(summary.echoes).toBeGreaterThan(0);
    socket.destroy();
  });
});

describe('JSON-RPC batches', () => {
  async function sessionOn(version: string): Promise<string> {
    const init = await postMcp(mcp, {
      ...initializeMessage,
      params: { ...initializeMessage.params, protocolVersion: version },
    });
    expect(init.status).toBe(200);
    return init.headers['mcp-session-id'] as string;
  }

  it('are answered as a batch on 2025-03-26: one JSON array for the requests, 202 for notifications only', async () => {
    const session = await sessionOn('2025-03-26');
    const headers = { 'mcp-session-id': session };
    const batch = [
      toolCall(1, 'echo', { message: 'a' }),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      toolCall(2, 'echo', { message: 'b' }),
      { not: 'json-rpc' },
    ];
    const res = await postMcp(mcp, batch, headers);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const answers = JSON.parse(res.body) as Array<{
      id: unknown;
      result?: { content: Array<{ text: string }> };
      error?: { code: number };
    }>;
    expect(answers).toHaveLength(3);
    const byId = new Map(answers.map((a) => [a.id, a]));
    expect(byId.get(1)!.result!.content[0]!.text).toBe('fx: a');
    expect(byId.get(2)!.result!.content[0]!.text).toBe('fx: b');
    expect(byId.get(null)!.error!.code).toBe(-32600);

    const notes = await postMcp(mcp, [{ jsonrpc: '2.0', method: 'notifications/initialized' }], headers);
    expect(notes.status).toBe(202);
  });

  it('are refused with 400 on 2025-06-18 and later', async () => {
    for (const version of ['2025-06-18', '2025-11-25']) {
      const session = await sessionOn(version);
      const res = await postMcp(mcp, [toolCall(1, 'echo', { message: 'a' })], { 'mcp-session-id': session });
      expect(res.status, version).toBe(400);
      expect(res.body).toMatch(/batches were removed in protocol 2025-06-18/);
    }
  });
});

describe('WebSocket upgrades', () => {
  function upgradeStatus(path: string, headers: Record<string, string>, protocol?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${gw.url.replace('http', 'ws')}${path}`, protocol ?? [], { headers });
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      ws.once('error', reject);
    });
  }

  it('pass the same Host, Origin and token checks as every request, and need the mcp subprotocol', async () => {
    expect(await upgradeStatus('/servers/fx/ws', authHeaders, 'mcp')).toBe(101);
    expect(await upgradeStatus('/servers/fx/ws', {}, 'mcp')).toBe(401);
    expect(await upgradeStatus('/servers/fx/ws', { ...authHeaders, origin: 'http://evil.example' }, 'mcp')).toBe(403);
    expect(await upgradeStatus('/servers/fx/ws', authHeaders)).toBe(400);
    expect(await upgradeStatus('/servers/nope/ws', authHeaders, 'mcp')).toBe(404);
    expect(await upgradeStatus(`/servers/fx/ws?token=${TOKEN}`, {}, 'mcp')).toBe(401);
  });
});
