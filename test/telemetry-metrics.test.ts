import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FanOutObserver } from '../src/main/core/telemetry/fan-out.js';
import { Metrics, type MetricsOptions } from '../src/main/core/telemetry/metrics.js';
import { TrafficRecorder } from '../src/main/core/telemetry/traffic-recorder.js';
import { connectClient } from './helpers/clients.js';
import { fixture, startTestEngine, type TestEngine } from './helpers/engine.js';

interface Setup {
  gw: TestEngine;
  metrics: Metrics;
  recorder: TrafficRecorder;
}
const running: Array<Setup & { clients: Client[] }> = [];

/** A real engine with one fixture server 'fx', wired the way the engine will wire telemetry. */
async function setup(options: MetricsOptions = {}): Promise<Setup> {
  const gw = await startTestEngine([fixture('fx')]);
  const server = gw.engine.servers.get('fx')!;
  const metrics = new Metrics({
    processes: () => [{ server: 'fx', pids: server.pids, inflight: server.router.inflightCount }],
    sampleIntervalMs: 60_000, // tests sample explicitly
    ...options,
  });
  const recorder = new TrafficRecorder();
  metrics.onStateChange(server.supervisor.state);
  server.supervisor.stateChanges.on((c) => metrics.onStateChange(c));
  // The router also reports session ends through the observer (onSessionClosed).
  server.router.observe(new FanOutObserver([metrics, recorder]));
  const entry = { gw, metrics, recorder, clients: [] as Client[] };
  running.push(entry);
  return entry;
}

async function client(s: Setup, name: string): Promise<Client> {
  const c = await connectClient(s.gw.url, 'fx', 'streamable', { name });
  running.find((r) => r.gw === s.gw)!.clients.push(c);
  return c;
}

const sessionIdOf = (c: Client) => (c.transport as StreamableHTTPClientTransport).sessionId!;
const echo = (c: Client, message = 'hi') => c.callTool({ name: 'echo', arguments: { message } });

afterEach(async () => {
  for (const r of running.splice(0)) {
    await Promise.all(r.clients.map((c) => c.close().catch(() => {})));
    r.metrics.dispose();
    r.recorder.dispose();
    await r.gw.stop();
  }
});

describe('Metrics on a real engine', () => {
  it('counts messages, bytes and requests per server and per session, and exports them', async () => {
    const s = await setup();
    const alpha = await client(s, 'alpha');
    const beta = await client(s, 'beta');
    for (let i = 0; i < 3; i++) await echo(alpha);
    for (let i = 0; i < 2; i++) await echo(beta);

    const snap = s.metrics.snapshot();
    const fx = snap.servers.find((x) => x.name === 'fx')!;
    expect(fx.state).toBe('running');
    expect(fx.methods).toContainEqual({ method: 'tools/call', requests: 5, errors: 0 });
    expect(fx.latencyMs?.count).toBe(5);
    expect(fx.inflight).toBe(0);
    // Cross-check with the recorder, which saw the same frames.
    const rows = s.recorder.query();
    const sum = (dir: string) => rows.filter((r) => r.direction === dir).reduce((n, r) => n + r.size, 0);
    expect(fx.bytes).toEqual({ toServer: sum('up'), fromServer: sum('down') });
    for (const [c, name, calls] of [
      [alpha, 'alpha', 3],
      [beta, 'beta', 2],
    ] as const) {
      const session = snap.sessions.find((x) => x.id === sessionIdOf(c))!;
      expect(session.clientName).toBe(name);
      expect(session.messages).toEqual({ toServer: calls, fromServer: calls });
    }

    const text = await s.metrics.prometheusText();
    expect(s.metrics.contentType).toContain('text/plain');
    expect(text).toContain('switchboard_requests_total{server="fx",method="tools/call"} 5');
    expect(text).toContain('switchboard_request_duration_seconds_count{server="fx",method="tools/call"} 5');
    expect(text).toMatch(/switchboard_request_duration_seconds_bucket\{le="60",server="fx",method="tools\/call"\} 5/);
    expect(text).toContain(
      `switchboard_session_messages_total{server="fx",session="${sessionIdOf(alpha)}",direction="to_server"} 3`,
    );
    expect(text).toContain('switchboard_messages_total{server="fx",direction="to_server"} 5');
    expect(text).toContain('switchboard_server_up{server="fx"} 1');
    expect(text).toContain('switchboard_sessions{server="fx"} 2');
  });

  it('counts an error response per method and per session', async () => {
    const s = await setup();
    const c = await client(s, 'alpha');
    await expect(c.callTool({ name: 'no-such-tool', arguments: {} })).rejects.toThrow(/unknown tool/);
    await echo(c);
    const snap = s.metrics.snapshot();
    expect(snap.servers[0].errors).toBe(1);
    expect(snap.servers[0].methods).toContainEqual({ method: 'tools/call', requests: 2, errors: 1 });
    expect(snap.sessions[0].errors).toBe(1);
    const text = await s.metrics.prometheusText();
    expect(text).toContain('switchboard_request_errors_total{server="fx",method="tools/call"} 1');
    expect(text).toContain(`switchboard_session_errors_total{server="fx",session="${sessionIdOf(c)}"} 1`);
  });

  it('tracks requests in flight and reads latency percentiles from the last minute', async () => {
    const s = await setup();
    const c = await client(s, 'alpha');
    const sent = performance.now();
    // 4 s of work: time enough, even on a loaded machine, to see both in flight before either answers.
    const calls = [1, 2].map(() => c.callTool({ name: 'slow', arguments: { ms: 4000 } }));
    await expect.poll(() => s.metrics.snapshot().servers[0].inflight, { timeout: 3500 }).toBe(2);
    await Promise.all(calls);
    const seenByClient = performance.now() - sent;
    const fx = s.metrics.snapshot().servers[0];
    expect(fx.inflight).toBe(0);
    expect(fx.latencyMs!.p50).toBeGreaterThan(4000 * 0.95);
    // No latency the gateway measured is longer than the client waited for both answers (a percentile is read
    // from ~9 % wide buckets, so within 4.5 % of the true value).
    expect(fx.latencyMs!.p99).toBeLessThanOrEqual(seenByClient * 1.05);
  });

  it('counts restarts and uptime from state changes, and samples CPU and memory of the child', async () => {
    const s = await setup();
    const c = await client(s, 'alpha');
    const pidBefore = s.gw.engine.servers.get('fx')!.supervisor.pid;
    const crashedAt = Date.now();
    await c.callTool({ name: 'crash', arguments: {} }).catch(() => {});
    const supervisor = s.gw.engine.servers.get('fx')!.supervisor;
    for (let i = 0; i < 100 && !(supervisor.state.state === 'running' && supervisor.pid !== pidBefore); i++)
      await new Promise((r) => setTimeout(r, 50));
    let fx = s.metrics.snapshot().servers[0];
    expect(fx.restarts).toBe(1);
    // Uptime restarted with the new child: no longer than the time since the crash.
    expect(fx.uptimeSeconds).toBeLessThanOrEqual(Math.ceil((Date.now() - crashedAt) / 1000));
    expect(await s.metrics.prometheusText()).toContain('switchboard_server_restarts_total{server="fx"} 1');
    if (process.platform !== 'linux') return;
    await s.metrics.sampleNow();
    await new Promise((r) => setTimeout(r, 50));
    await s.metrics.sampleNow();
    fx = s.metrics.snapshot().servers[0];
    expect(fx.pids).toEqual([supervisor.pid]);
    expect(fx.rssBytes).toBeGreaterThan(5 * 1024 * 1024); // a node process
    expect(fx.cpuPercent).toBeGreaterThanOrEqual(0);
    const cpu = /switchboard_server_cpu_seconds_total\{server="fx"\} ([\d.e-]+)/.exec(await s.metrics.prometheusText());
    expect(Number(cpu?.[1])).toBeGreaterThan(0);
  });

  it('drops a session’s series when the client ends its session', async () => {
    const s = await setup();
    const alpha = await client(s, 'alpha');
    const beta = await client(s, 'beta');
    await echo(alpha);
    await echo(beta);
    const gone = sessionIdOf(alpha);
    expect(await s.metrics.prometheusText()).toContain(gone);
    await (alpha.transport as StreamableHTTPClientTransport).terminateSession();
    expect(s.metrics.snapshot().sessions.map((x) => x.id)).toEqual([sessionIdOf(beta)]);
    const text = await s.metrics.prometheusText();
    expect(text).not.toContain(gone);
    expect(text).toContain('switchboard_requests_total{server="fx",method="tools/call"} 2'); // server totals stay
  });

  it('gives only the first sessions their own series and sums the rest under session="other"', async () => {
    const s = await setup({ maxSessionSeries: 1 });
    const first = await client(s, 'first');
    const second = await client(s, 'second');
    const third = await client(s, 'third');
    await echo(first);
    await echo(second);
    await echo(third);
    let text = await s.metrics.prometheusText();
    expect(text).toContain(`session="${sessionIdOf(first)}"`);
    expect(text).not.toContain(sessionIdOf(second));
    const other = 'switchboard_session_messages_total{server="fx",session="other",direction="to_server"}';
    expect(text).toContain(`${other} 2`);
    // A folded session that ends still counts in "other": a counter never goes backwards.
    await (second.transport as StreamableHTTPClientTransport).terminateSession();
    text = await s.metrics.prometheusText();
    expect(text).toContain(`${other} 2`);
  });
});
