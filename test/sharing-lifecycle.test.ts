// Issue 10, rules 3 and 4 (RELIABILITY R8, R9): requests and sessions that end, and client JSON carried exactly.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authHeaders, fixture, startTestEngine, TOKEN, type TestEngine } from './helpers/engine.js';
import { jsonRpcErrorCode, openSession, postMcp, raw, toolCall, toolText } from './helpers/http.js';

let gw: TestEngine;
beforeAll(async () => {
  gw = await startTestEngine([fixture('fx', [], { options: { sharing: 'shared' } }), fixture('cap')], {
    maxSessionsPerServer: 3,
  });
});
afterAll(() => gw?.stop());

const endpoint = () => `${gw.url}/servers/fx/mcp`;
const BIG = '123456789012345678901234567890';

describe('lifecycles that end (R8)', () => {
  it('a cancelled request is released at once: its POST ends, the id is reusable, the child is told', async () => {
    const session = await openSession(endpoint());
    const headers = { 'mcp-session-id': session, accept: 'application/json' };
    const held = postMcp(endpoint(), toolCall(5, 'wait', { key: 'cancel-me' }), headers);
    await expect.poll(() => gw.engine.servers.get('fx')!.router.inflightCount).toBe(1);
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5, reason: 'user' } };
    expect((await postMcp(endpoint(), cancel, headers)).status).toBe(202);
    const answer = await held;
    expect(jsonRpcErrorCode(answer)).toBe(-32800);
    expect(gw.engine.servers.get('fx')!.router.inflightCount).toBe(0);
    const again = await postMcp(endpoint(), toolCall(5, 'echo', { message: 'reused' }), headers);
    expect(toolText(again)).toBe('fx: reused');
    const cancelled = JSON.parse(toolText(await postMcp(endpoint(), toolCall(6, 'cancelled'), headers)));
    expect(cancelled.length).toBeGreaterThan(0);
    await postMcp(endpoint(), toolCall(7, 'release', { key: 'cancel-me' }), headers);
  });

  it('at the session cap the least recently active idle session makes room; /health says degraded', async () => {
    const cap = `${gw.url}/servers/cap/mcp`;
    const sessions: string[] = [];
    for (let i = 0; i < 5; i++) sessions.push(await openSession(cap)); // clients that never DELETE
    expect(gw.engine.servers.get('cap')!.sessionCount).toBe(3);
    const health = JSON.parse((await raw(`${gw.url}/health`)).body);
    expect(health.status).toBe('degraded');
    expect(health.servers.cap.sessionLimitReached).toBe(true);
    const oldest = await postMcp(cap, toolCall(2, 'echo', { message: 'x' }), { 'mcp-session-id': sessions[0]! });
    expect(oldest.status).toBe(404);
    const newest = await postMcp(cap, toolCall(2, 'echo', { message: 'y' }), { 'mcp-session-id': sessions[4]! });
    expect(toolText(newest)).toBe('cap: y');
  });

  it('refuses a new session with 503 only when every session at the cap is in use', async () => {
    const cap = `${gw.url}/servers/cap/mcp`;
    const busy = await Promise.all([0, 1, 2].map(() => openSession(cap)));
    const held = busy.map((s, i) =>
      postMcp(cap, toolCall(9, 'wait', { key: `cap-${i}` }), { 'mcp-session-id': s, accept: 'application/json' }),
    );
    await expect.poll(() => gw.engine.servers.get('cap')!.router.inflightCount).toBe(3);
    await expect(openSession(cap)).rejects.toThrow(/503/);
    for (let i = 0; i < 3; i++) {
      await postMcp(cap, toolCall(10, 'release', { key: `cap-${i}` }), { 'mcp-session-id': busy[i]! });
    }
    await Promise.all(held);
  });
});

describe('client JSON carried exactly (R9)', () => {
  it('refuses a body nested 10,000 levels deep before recording it, and the id stays free', async () => {
    const session = await openSession(endpoint());
    const headers = { 'mcp-session-id': session };
    const deep = `{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"echo","arguments":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`;
    const refused = await postMcp(endpoint(), deep, headers);
    expect(refused.status).toBe(400);
    expect(jsonRpcErrorCode(refused)).toBe(-32600);
    expect(refused.body).toContain('deeper than');
    expect(toolText(await postMcp(endpoint(), toolCall(77, 'echo', { message: 'free' }), headers))).toBe('fx: free');
  });

  it('returns a 30-digit integer id byte-identical over Streamable HTTP', async () => {
    const session = await openSession(endpoint());
    const body = `{"jsonrpc":"2.0","id":${BIG},"method":"tools/call","params":{"name":"echo","arguments":{"message":"big"}}}`;
    const res = await postMcp(endpoint(), body, { 'mcp-session-id': session, accept: 'application/json' });
    expect(res.body).toContain(`"id":${BIG}`);
    expect(res.body).toContain('fx: big');
  });

  it('returns a 30-digit integer id byte-identical over legacy SSE', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const req = httpRequest(`${gw.url}/servers/fx/sse`, { headers: { accept: 'text/event-stream', ...authHeaders } });
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          seen += chunk;
          const endpointPath = /event: endpoint\ndata: (.+)\n/.exec(seen)?.[1];
          if (endpointPath && !seen.includes('posted')) {
            seen += '\n(posted)\n';
            const msg = `{"jsonrpc":"2.0","id":${BIG},"method":"ping"}`;
            void postMcp(`${gw.url}${endpointPath}`, msg).catch(reject);
          }
          if (seen.includes(`"id":${BIG}`)) {
            req.destroy();
            resolve(seen);
          }
        });
      });
      req.on('error', (err) => (seen.includes(`"id":${BIG}`) ? undefined : reject(err)));
      req.end();
    });
    expect(text).toContain(`{"jsonrpc":"2.0","id":${BIG},"result":{}}`);
  });

  it('returns a 30-digit integer id byte-identical over WebSocket, and refuses deep frames', async () => {
    const socket = new WebSocket(`${gw.url.replace('http', 'ws')}/servers/fx/ws`, 'mcp', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(data.toString()));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(`{"jsonrpc":"2.0","id":${BIG},"method":"ping"}`);
    socket.send(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`);
    await expect.poll(() => frames.length).toBe(2);
    expect(frames).toContain(`{"jsonrpc":"2.0","id":${BIG},"result":{}}`);
    expect(frames.find((f) => f.includes('deeper than'))).toContain('-32600');
    socket.close();
  });
});
