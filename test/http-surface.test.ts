// The HTTP surface (RELIABILITY rows H1–H7), tested with raw requests on real sockets against a real engine and
// real child processes. Raw node:http requests let each test say exactly which Host, Origin, token and body it sends.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEngineOptions, type ManagedServer } from '../src/main/core/engine.js';
import { resolveSettings } from '../src/main/headless/settings.js';
import { connectClient, textOf, type TransportKind } from './helpers/clients.js';
import { TOKEN, authHeaders, fixture, startTestEngine, type TestEngine } from './helpers/engine.js';
import {
  initializeMessage,
  jsonRpcErrorCode,
  openSession,
  openSseStream,
  postMcp,
  raw,
  rawStatus,
  toolCall,
  toolText,
  type RawResponse,
} from './helpers/http.js';

const INSPECTOR = 'http://inspector.example:6274';

let gw: TestEngine;
let mcp: string;
let fx: ManagedServer;
let port: number;

beforeAll(async () => {
  gw = await startTestEngine([fixture('fx')], { allowedOrigins: [INSPECTOR] });
  mcp = `${gw.url}/servers/fx/mcp`;
  fx = gw.engine.servers.get('fx')!;
  port = Number(new URL(gw.url).port);
});
afterAll(() => gw?.stop());

async function echo(endpoint: string, sessionId: string, message: string, id: number | string = 'echo') {
  const res = await postMcp(endpoint, toolCall(id, 'echo', { message }), { 'mcp-session-id': sessionId });
  expect(res.status, res.body).toBe(200);
  return toolText(res);
}

/** Polls `check` until it returns true; fails after `ms`. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function tally(responses: RawResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

describe('H1: Host and Origin checks (DNS rebinding, drive-by pages)', () => {
  const hostile: Array<[string, Record<string, string>]> = [
    ['Origin: http://evil.example', { origin: 'http://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['Host: evil.example', { host: 'evil.example' }],
    ['Host: evil.example:PORT', { host: 'evil.example:PORT' }],
    ['Origin: http://127.0.0.1:1 (another local page)', { origin: 'http://127.0.0.1:1' }],
  ];

  it.each(hostile)('%s → 403 on every route, before the token and before any upstream call', async (_label, h) => {
    const headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace('PORT', String(port))]));
    const sessionId = await openSession(mcp);
    const pid = fx.supervisor.pid;
    const sessionsBefore = fx.sessionCount;

    // A request that would kill the child if it got through: the fixture's `crash` tool, on a valid session,
    // with a valid token. Only the Host/Origin is wrong.
    const crash = await postMcp(mcp, toolCall(7, 'crash'), { ...headers, 'mcp-session-id': sessionId });
    expect(crash.status).toBe(403);
    expect(JSON.parse(crash.body)).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringMatching(/^Forb/) },
    });
    expect(crash.headers['access-control-allow-origin']).toBeUndefined();

    const init = await postMcp(mcp, initializeMessage, headers);
    expect(init.status).toBe(403);
    expect(init.headers['mcp-session-id']).toBeUndefined();

    // Even without a token the answer is 403, not 401: the Host/Origin check comes first.
    const noToken = await postMcp(mcp, initializeMessage, { ...headers, authorization: '' });
    expect(noToken.status).toBe(403);

    for (const [path, method] of [
      ['/servers/fx/sse', 'GET'],
      ['/sse', 'GET'],
      ['/mcp', 'DELETE'],
      ['/servers/fx/mcp', 'OPTIONS'],
      ['/info', 'GET'],
      ['/health', 'GET'],
    ] as const) {
      const res = await raw(`${gw.url}${path}`, {
        method,
        headers: { ...authHeaders, accept: 'text/event-stream', 'mcp-session-id': sessionId, ...headers },
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }

    // Nothing reached the child: no new session, nothing in flight, the same process, and the session works.
    expect(fx.sessionCount).toBe(sessionsBefore);
    expect(fx.router.inflightCount).toBe(0);
    expect(fx.supervisor.pid).toBe(pid);
    expect(fx.supervisor.state.state).toBe('running');
    expect(await echo(mcp, sessionId, 'still here')).toBe('fx: still here');
    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, 'mcp-session-id': sessionId } });
  });

  it('rejects a request without any Host header (HTTP/1.0) with 403', async () => {
    const status = await rawStatus(
      port,
      `GET /info HTTP/1.0\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
    );
    expect(status).toBe(403);
  });

  it("allows the gateway's own origin (127.0.0.1 and localhost) and answers with CORS headers", async () => {
    const own = `http://127.0.0.1:${port}`;
    const res = await postMcp(mcp, initializeMessage, { origin: own });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(own);

    const local = await postMcp(mcp, initializeMessage, {
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });
    expect(local.status).toBe(200);
    expect(local.headers['access-control-allow-origin']).toBe(`http://localhost:${port}`);
    for (const r of [res, local]) {
      await raw(mcp, {
        method: 'DELETE',
        headers: { ...authHeaders, 'mcp-session-id': `${r.headers['mcp-session-id']}` },
      });
    }
  });

  it('gives an allowed origin (allowedOrigins) a working preflight and CORS headers on answers', async () => {
    const preflight = await raw(mcp, {
      method: 'OPTIONS',
      headers: {
        origin: INSPECTOR,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-session-id, mcp-protocol-version',
      },
    });
    // A browser sends no credentials on a preflight: it must succeed without the token.
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(INSPECTOR);
    const methods = `${preflight.headers['access-control-allow-methods']}`.toLowerCase();
    for (const m of ['get', 'post', 'delete']) expect(methods).toContain(m);
    const allowed = `${preflight.headers['access-control-allow-headers']}`.toLowerCase();
    for (const h of ['authorization', 'content-type', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'])
      expect(allowed).toContain(h);

    const init = await postMcp(mcp, initializeMessage, { origin: INSPECTOR });
    expect(init.status).toBe(200);
    expect(init.headers['access-control-allow-origin']).toBe(INSPECTOR);
    expect(`${init.headers['access-control-expose-headers']}`).toContain('mcp-session-id');
    expect(`${init.headers.vary}`).toMatch(/origin/i);
    const sessionId = `${init.headers['mcp-session-id']}`;

    // Errors carry the CORS headers too, so the page can read why it failed.
    const unauthorized = await postMcp(mcp, initializeMessage, { origin: INSPECTOR, authorization: '' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe(INSPECTOR);
    expect(`${unauthorized.headers['access-control-expose-headers']}`).toContain('www-authenticate');

    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, 'mcp-session-id': sessionId, origin: INSPECTOR } });
  });

  it('answers without CORS headers when there is no Origin (non-browser clients)', async () => {
    const res = await raw(`${gw.url}/info`, { headers: authHeaders });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('H2: listening sockets', () => {
  const outside = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && !a.address.startsWith('fe80'))
    .map((a) => a!.address);

  function tryConnect(host: string, p: number): Promise<'connected' | string> {
    return new Promise((resolve) => {
      const socket = connect({ host, port: p, timeout: 2000 });
      socket.once('connect', () => (socket.destroy(), resolve('connected')));
      socket.once('timeout', () => (socket.destroy(), resolve('timeout')));
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
  }

  it('binds 127.0.0.1 by default (engine and CLI), unreachable from any other address', async () => {
    expect(defaultEngineOptions.host).toBe('127.0.0.1');
    expect(resolveSettings(['run', '--', 'x'], {}).host).toBe('127.0.0.1');
    expect(gw.engine.options.host).toBe('127.0.0.1');
    expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect('::1', port)).toBe('ECONNREFUSED');
    for (const address of outside) expect(await tryConnect(address, port), address).toBe('ECONNREFUSED');
  });

  it.runIf(outside.length > 0)(
    'is reachable from outside only when configured to (control for the probe)',
    async () => {
      const wide = await startTestEngine([], { host: '0.0.0.0' });
      try {
        expect(
          await tryConnect(outside.find((a) => a.includes('.')) ?? outside[0]!, Number(new URL(wide.url).port)),
        ).toBe('connected');
      } finally {
        await wide.stop();
      }
    },
  );
});

describe('H3: bearer token', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['missing', '', { authorization: '' }],
    ['wrong', '', { authorization: 'Bearer wrong-token' }],
    ['wrong scheme', '', { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }],
    ['empty bearer', '', { authorization: 'Bearer ' }],
    ['1-byte token', '', { authorization: 'Bearer x' }],
    ['4 KB token', '', { authorization: `Bearer ${'y'.repeat(4096)}` }],
    ['right token with a suffix', '', { authorization: `Bearer ${TOKEN}x` }],
    ['?token= in the query string', `?token=${TOKEN}`, { authorization: '' }],
    ['?access_token= in the query string', `?access_token=${TOKEN}`, { authorization: '' }],
    ['?a=1&token= and a valid header too', `?a=1&token=${TOKEN}`, {}],
  ];

  it.each(cases)('%s → 401 with WWW-Authenticate: Bearer, no session created', async (_label, query, headers) => {
    const before = fx.sessionCount;
    const res = await postMcp(`${mcp}${query}`, initializeMessage, headers);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="switchboard"/);
    expect(res.headers['mcp-session-id']).toBeUndefined();
    expect(jsonRpcErrorCode(res)).toBe(-32001);
    expect(res.body).not.toContain(TOKEN);
    expect(fx.sessionCount).toBe(before);

    for (const path of ['/info', '/servers/fx/sse', '/servers/fx/messages?sessionId=x', '/mcp']) {
      const other = await raw(`${gw.url}${path}${query ? (path.includes('?') ? `&${query.slice(1)}` : query) : ''}`, {
        method: path.includes('messages') ? 'POST' : 'GET',
        headers: { accept: 'text/event-stream', ...authHeaders, ...headers },
      });
      expect(other.status, path).toBe(401);
      expect(other.headers['www-authenticate'], path).toMatch(/^Bearer /);
    }
  });

  it('marks a presented-but-wrong token invalid_token, a missing one not', async () => {
    const missing = await raw(`${gw.url}/info`);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="switchboard"');
    const wrong = await raw(`${gw.url}/info`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="switchboard", error="invalid_token"');
  });

  it('accepts the right token (the scheme in any case) on the API; /health needs none', async () => {
    expect((await raw(`${gw.url}/info`, { headers: authHeaders })).status).toBe(200);
    expect((await raw(`${gw.url}/info`, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    expect((await raw(`${gw.url}/health`)).status).toBe(200);
    const sessionId = await openSession(mcp);
    expect(await echo(mcp, sessionId, 'authorized')).toBe('fx: authorized');
    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, 'mcp-session-id': sessionId } });
  });
});

describe('H4: session ids', () => {
  const randomId = '6f1c1f6e-0000-4000-8000-000000000000';

  it('Streamable HTTP: missing Mcp-Session-Id → 400, unknown → 404, after DELETE → 404', async () => {
    const accept = { accept: 'text/event-stream' };
    // Missing: every method that needs a session.
    expect((await postMcp(mcp, toolCall(1, 'echo'))).status).toBe(400);
    expect((await postMcp(mcp, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(400);
    expect((await raw(mcp, { headers: { ...authHeaders, ...accept } })).status).toBe(400);
    expect((await raw(mcp, { method: 'DELETE', headers: authHeaders })).status).toBe(400);

    // Unknown (random) id.
    const unknown = { 'mcp-session-id': randomId };
    const post404 = await postMcp(mcp, toolCall(1, 'echo'), unknown);
    expect(post404.status).toBe(404);
    expect(jsonRpcErrorCode(post404)).toBeTypeOf('number');
    expect((await raw(mcp, { headers: { ...authHeaders, ...accept, ...unknown } })).status).toBe(404);
    expect((await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, ...unknown } })).status).toBe(404);
    // An initialize that names an unknown session is not a new session either.
    expect((await postMcp(mcp, initializeMessage, unknown)).status).toBe(404);

    // Deleted.
    const sessionId = await openSession(mcp);
    const own = { 'mcp-session-id': sessionId };
    expect(await echo(mcp, sessionId, 'before delete')).toBe('fx: before delete');
    expect((await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, ...own } })).status).toBe(200);
    expect((await postMcp(mcp, toolCall(2, 'echo'), own)).status).toBe(404);
    expect((await raw(mcp, { headers: { ...authHeaders, ...accept, ...own } })).status).toBe(404);
    expect((await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, ...own } })).status).toBe(404);

    // The client's remedy, a new initialize, works.
    const again = await openSession(mcp);
    expect(await echo(mcp, again, 'new session')).toBe('fx: new session');
    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, 'mcp-session-id': again } });
  });

  it('legacy SSE: missing ?sessionId → 400, unknown → 404, after the stream closed → 404', async () => {
    const messages = `${gw.url}/servers/fx/messages`;
    expect((await postMcp(messages, toolCall(1, 'echo'))).status).toBe(400);
    expect((await postMcp(`${messages}?sessionId=`, toolCall(1, 'echo'))).status).toBe(400);
    expect((await postMcp(`${messages}?sessionId=${randomId}`, toolCall(1, 'echo'))).status).toBe(404);
    expect((await postMcp(`${messages}?sessionId=../../etc`, toolCall(1, 'echo'))).status).toBe(404);

    const stream = await openSseStream(`${gw.url}/servers/fx/sse`);
    expect(stream.endpoint).toMatch(/^\/servers\/fx\/messages\?sessionId=[0-9a-f-]{36}$/);
    const endpoint = `${gw.url}${stream.endpoint}`;
    expect((await postMcp(endpoint, initializeMessage)).status).toBe(202);
    stream.close();
    await eventually(
      async () => (await postMcp(endpoint, toolCall(2, 'echo'))).status === 404,
      3000,
      'the closed stream to end its session',
    );
  });
});

describe('H5: MCP-Protocol-Version', () => {
  it('1999-01-01 → 400 on every Streamable HTTP method; a supported version passes', async () => {
    const sessionId = await openSession(mcp);
    const bad = { 'mcp-protocol-version': '1999-01-01' };
    const before = fx.sessionCount;

    const init = await postMcp(mcp, initializeMessage, bad);
    expect(init.status).toBe(400);
    expect(init.body).toMatch(/1999-01-01/);
    expect(init.body).toMatch(/2025-06-18/); // the answer names the supported versions
    expect(init.headers['mcp-session-id']).toBeUndefined();
    expect(fx.sessionCount).toBe(before);

    const own = { 'mcp-session-id': sessionId };
    expect((await postMcp(mcp, toolCall(3, 'echo'), { ...own, ...bad })).status).toBe(400);
    expect((await raw(mcp, { headers: { ...authHeaders, accept: 'text/event-stream', ...own, ...bad } })).status).toBe(
      400,
    );
    expect((await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, ...own, ...bad } })).status).toBe(400);

    // The rejected DELETE did not end the session; the negotiated version is accepted.
    const ok = await postMcp(mcp, toolCall(4, 'echo', { message: 'v' }), {
      ...own,
      'mcp-protocol-version': '2025-06-18',
    });
    expect(ok.status).toBe(200);
    expect(toolText(ok)).toBe('fx: v');
    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, ...own } });
  });
});

describe('H6: oversized bodies, malformed JSON, overload', () => {
  const tenMegabytes = 10 * 1024 * 1024;

  it('a 10 MB POST → 413 (declared or chunked) and the same session keeps working', async () => {
    const sessionId = await openSession(mcp);
    const pid = fx.supervisor.pid;
    const own = { 'mcp-session-id': sessionId };
    const huge = JSON.stringify(toolCall(5, 'echo', { message: 'x'.repeat(tenMegabytes) }));

    const declared = await postMcp(mcp, huge, own);
    expect(declared.status).toBe(413);
    expect(jsonRpcErrorCode(declared)).toBe(-32002);
    expect(await echo(mcp, sessionId, 'after 413')).toBe('fx: after 413');

    // No content-length: the cap must hold while streaming too.
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = [Buffer.from('{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","x":"')];
    for (let n = 0; n < tenMegabytes / chunk.length; n++) chunks.push(chunk);
    chunks.push(Buffer.from('"}}'));
    const streamed = await raw(mcp, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json', accept: 'application/json', ...own },
      body: chunks,
    });
    expect(streamed.status).toBe(413);
    expect(await echo(mcp, sessionId, 'after chunked 413')).toBe('fx: after chunked 413');

    // Legacy SSE too.
    const stream = await openSseStream(`${gw.url}/servers/fx/sse`);
    const sse413 = await postMcp(`${gw.url}${stream.endpoint}`, huge);
    expect(sse413.status).toBe(413);
    expect((await postMcp(`${gw.url}${stream.endpoint}`, initializeMessage)).status).toBe(202);
    stream.close();

    expect(fx.supervisor.pid).toBe(pid);
    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, ...own } });
  });

  it('malformed JSON → HTTP 400 with JSON-RPC -32700, and the session survives', async () => {
    const sessionId = await openSession(mcp);
    const own = { 'mcp-session-id': sessionId };
    for (const body of ['{"jsonrpc":"2.0","id":1,"method":', 'not json', '']) {
      const res = await postMcp(mcp, body, own);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    }
    // Without a session too: the body is refused before any session lookup.
    const noSession = await postMcp(mcp, '{oops');
    expect(noSession.status).toBe(400);
    expect(jsonRpcErrorCode(noSession)).toBe(-32700);

    const stream = await openSseStream(`${gw.url}/servers/fx/sse`);
    const sse = await postMcp(`${gw.url}${stream.endpoint}`, '{"jsonrpc":');
    expect(sse.status).toBe(400);
    expect(jsonRpcErrorCode(sse)).toBe(-32700);
    stream.close();

    expect(await echo(mcp, sessionId, 'after -32700')).toBe('fx: after -32700');
    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, ...own } });
  });

  it('a malformed %-escape in the path → 400, not a 500 with an error logged', async () => {
    for (const path of ['/servers/%E0%A4%A/mcp', '/servers/fx%/mcp', '/servers/%ZZ/sse']) {
      const res = await raw(`${gw.url}${path}`, { headers: { ...authHeaders, accept: 'text/event-stream' } });
      expect(res.status, path).toBe(400);
      expect(jsonRpcErrorCode(res)).toBe(-32600);
    }
    expect(gw.logs.filter((r) => r.level === 'error' && r.message.startsWith('request failed'))).toEqual([]);
  });

  /** Fires `count` tools/call POSTs at once, each on its own connection. */
  async function flood(endpoint: string, sessionId: string, count: number, tool = 'echo', args = {}) {
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    try {
      return await Promise.all(
        Array.from({ length: count }, (_, i) =>
          postMcp(endpoint, toolCall(i, tool, { message: `m${i}`, ...args }), { 'mcp-session-id': sessionId }, agent),
        ),
      );
    } finally {
      agent.destroy();
    }
  }

  it('1,000 concurrent POSTs over maxConcurrentRequests: 503s shed, no crash, still serving', async () => {
    const low = await startTestEngine([fixture('fx')], { maxConcurrentRequests: 32 });
    try {
      const endpoint = `${low.url}/servers/fx/mcp`;
      const server = low.engine.servers.get('fx')!;
      const pid = server.supervisor.pid;
      const sessionId = await openSession(endpoint);
      // Each call holds its request open 300 ms, so far more than 32 are active at once.
      const responses = await flood(endpoint, sessionId, 1000, 'slow', { ms: 300 });
      const counts = tally(responses);
      expect(Object.keys(counts).sort(), JSON.stringify(counts)).toEqual(['200', '503']);
      expect(counts[503]).toBeGreaterThan(0);
      expect(counts[200]).toBeGreaterThanOrEqual(32);
      const shed = responses.find((r) => r.status === 503)!;
      expect(shed.headers['retry-after']).toBeDefined();
      expect(jsonRpcErrorCode(shed)).toBe(-32003);
      for (const r of responses.filter((x) => x.status === 200)) expect(toolText(r)).toBe('slept 300');

      expect(server.supervisor.pid).toBe(pid);
      expect((await raw(`${low.url}/health`)).status).toBe(200);
      expect(await echo(endpoint, sessionId, 'after the flood')).toBe('fx: after the flood');
      await eventually(() => server.router.inflightCount === 0, 2000, 'in-flight requests to drain');
    } finally {
      await low.stop();
    }
  });

  it('1,000 concurrent POSTs over the rate limit: 429s with Retry-After, no crash, still serving', async () => {
    const limited = await startTestEngine([fixture('fx')], { rate: { perSecond: 50, burst: 50 } });
    try {
      const endpoint = `${limited.url}/servers/fx/mcp`;
      const server = limited.engine.servers.get('fx')!;
      const pid = server.supervisor.pid;
      const sessionId = await openSession(endpoint);
      const started = performance.now();
      const responses = await flood(endpoint, sessionId, 1000);
      const seconds = (performance.now() - started) / 1000;
      const counts = tally(responses);
      expect(Object.keys(counts).sort(), JSON.stringify(counts)).toEqual(['200', '429']);
      // At most the burst plus what refilled while the flood lasted (2 tokens went to initialize/initialized).
      expect(counts[200]).toBeLessThanOrEqual(50 + Math.ceil(50 * seconds) + 1);
      const limitedRes = responses.find((r) => r.status === 429)!;
      expect(Number(limitedRes.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(jsonRpcErrorCode(limitedRes)).toBe(-32003);
      for (const r of responses.filter((x) => x.status === 200)) {
        const id = (JSON.parse(r.body) as { id: number }).id;
        expect(toolText(r)).toBe(`fx: m${id}`);
      }

      expect(server.supervisor.pid).toBe(pid);
      expect((await raw(`${limited.url}/health`)).status).toBe(200);
      // The limit is per session: another client is not starved, and this one recovers once tokens refill.
      const other = await openSession(endpoint);
      expect(await echo(endpoint, other, 'other session')).toBe('fx: other session');
      await eventually(
        async () =>
          (await postMcp(endpoint, toolCall('again', 'echo', { message: 'x' }), { 'mcp-session-id': sessionId }))
            .status === 200,
        3000,
        'the bucket to refill',
      );
    } finally {
      await limited.stop();
    }
  });

  it('the default limits do not shed a modest load: 200 concurrent calls all succeed', async () => {
    const sessionId = await openSession(mcp);
    const responses = await flood(mcp, sessionId, 200);
    expect(tally(responses)).toEqual({ 200: 200 });
    for (const r of responses) {
      const id = (JSON.parse(r.body) as { id: number }).id;
      expect(toolText(r)).toBe(`fx: m${id}`);
    }
    await raw(mcp, { method: 'DELETE', headers: { ...authHeaders, 'mcp-session-id': sessionId } });
  });
});

describe('H7: the client Authorization header stays in the gateway', () => {
  const recorder = fileURLToPath(new URL('./fixtures/stdin-recorder.mjs', import.meta.url));
  let dir: string;
  let record: string;
  let rec: TestEngine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-h7-'));
    record = join(dir, 'stdin.log');
    rec = await startTestEngine([
      fixture('rec', [], { args: [recorder, '--name', 'rec'], env: { STDIN_RECORD: record } }),
    ]);
  });
  afterAll(async () => {
    await rec?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<TransportKind>(['streamable', 'sse'])(
    'over %s: absent from the child environment, argv, stdin and the logs',
    async (kind) => {
      const client = await connectClient(rec.url, 'rec', kind);
      const env = JSON.parse(textOf(await client.callTool({ name: 'env', arguments: {} }))) as Record<string, string>;
      expect(env.STDIN_RECORD).toBe(record); // the tool really returned the child's environment
      for (const [key, value] of Object.entries(env)) {
        expect(value, key).not.toContain(TOKEN);
        expect(key).not.toMatch(/authorization/i);
      }
      const argv = textOf(await client.callTool({ name: 'argv', arguments: {} }));
      expect(argv).not.toContain(TOKEN);
      await client.close();

      // Every byte the gateway wrote to the child's stdin: JSON-RPC only, no header in it.
      const stdin = readFileSync(record, 'utf8');
      expect(stdin).toContain('"tools/call"');
      expect(stdin).not.toContain(TOKEN);
      expect(stdin).not.toMatch(/authorization|bearer/i);
      // Nor is it logged (the test engine logs at debug level).
      expect(JSON.stringify(rec.logs)).not.toContain(TOKEN);
    },
  );
});

describe('sessions and malformed requests', () => {
  it('closes a Streamable HTTP session left idle by a client that never sent DELETE', async () => {
    const gw = await startTestEngine([fixture('idle')], { sessionIdleMs: 200 });
    try {
      // A raw session with no GET stream: a client that went away without a word. (The SDK client keeps a GET
      // stream open, and a session with an open stream is not idle.)
      const endpoint = `${gw.url}/servers/idle/mcp`;
      const withStream = await connectClient(gw.url, 'idle');
      const sessionId = await openSession(endpoint);
      expect(gw.engine.servers.get('idle')!.sessionCount).toBe(2);
      await expect.poll(() => gw.engine.servers.get('idle')!.sessionCount, { timeout: 3000 }).toBe(1);
      const late = await postMcp(endpoint, toolCall(2, 'echo', { message: 'late' }), { 'mcp-session-id': sessionId });
      expect(late.status).toBe(404);
      expect(textOf(await withStream.callTool({ name: 'echo', arguments: { message: 'kept' } }))).toBe('idle: kept');
      await withStream.close();
    } finally {
      await gw.stop();
    }
  });

  it('answers headers over the limit with 431, not a reset', async () => {
    const gw = await startTestEngine([fixture('hdr')]);
    try {
      const status = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(gw.url).port), '127.0.0.1', () => {
          socket.write(`GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (c) => (data += c));
        socket.on('end', () => resolve(data.split('\r\n')[0]!));
        socket.on('error', reject);
      });
      expect(status).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    } finally {
      await gw.stop();
    }
  });
});
