import { afterEach, describe, expect, it } from 'vitest';
import type { StateChange } from '../supervisor/server-supervisor.js';
import type { FrameEvent } from './frame.js';
import { Metrics, type MetricsOptions } from './metrics.js';

const made: Metrics[] = [];
const metricsWith = (options: MetricsOptions = {}) => {
  const m = new Metrics({ sampleIntervalMs: 60_000, ...options });
  made.push(m);
  return m;
};
afterEach(() => made.splice(0).forEach((m) => m.dispose()));

let nextId = 1;
const frame = (over: Partial<FrameEvent>): FrameEvent => ({
  direction: 'up',
  server: 'fx',
  session: 's1',
  kind: 'request',
  method: 'tools/call',
  clientId: nextId++,
  size: 10,
  time: Date.now(),
  payload: '{}',
  ...over,
});
const response = (over: Partial<FrameEvent> = {}) =>
  frame({ direction: 'down', kind: 'response', latencyMs: 5, ...over });

describe('Metrics (synthetic frames)', () => {
  it('derives in-flight from requests, responses and the cancellations the router sends', () => {
    const m = metricsWith();
    for (let i = 0; i < 3; i++) m.onFrame(frame({}));
    m.onFrame(response());
    m.onFrame(frame({ kind: 'notification', method: 'notifications/cancelled', clientId: undefined }));
    expect(m.snapshot().servers[0].inflight).toBe(1);
    m.onStateChange({ server: 'fx', state: 'backoff', reason: 'exited with code 1', at: Date.now() });
    expect(m.snapshot().servers[0].inflight).toBe(0);
  });

  it('takes the router’s in-flight count and the pids from the process callback when given', async () => {
    const m = metricsWith({ processes: () => [{ server: 'fx', pids: [], inflight: 7 }] });
    m.onFrame(frame({}));
    await m.sampleNow();
    const fx = m.snapshot().servers[0];
    expect(fx).toMatchObject({ inflight: 7, pids: [], cpuPercent: null, rssBytes: null });
  });

  it('counts the instances of a per-session server (name#n) as that server', async () => {
    const m = metricsWith();
    m.onFrame(frame({ server: 'fx#1', session: 'a' }));
    m.onFrame(frame({ server: 'fx#2', session: 'b' }));
    m.onStateChange({ server: 'fx#2', state: 'running', reason: '', at: Date.now() });
    const { servers } = m.snapshot();
    expect(servers.map((s) => [s.name, s.requests, s.state])).toEqual([['fx', 2, 'running']]);
  });

  it('caps method names per server under method="other"', async () => {
    const m = metricsWith({ maxMethodsPerServer: 2 });
    for (const method of ['a', 'b', 'c', 'd', 'a']) m.onFrame(frame({ method }));
    expect(m.snapshot().servers[0].methods).toEqual([
      { method: 'a', requests: 2, errors: 0 },
      { method: 'b', requests: 1, errors: 0 },
      { method: 'other', requests: 2, errors: 0 },
    ]);
    expect(await m.prometheusText()).toContain('switchboard_requests_total{server="fx",method="other"} 2');
  });

  it('counts restarts only for starts that follow a backoff, and uptime from the last running', async () => {
    const m = metricsWith();
    const at = Date.now() - 5000;
    const change = (state: StateChange['state']) => m.onStateChange({ server: 'fx', state, reason: '', at });
    for (const s of ['starting', 'running', 'backoff', 'starting', 'running', 'stopped', 'starting'] as const)
      change(s);
    change('running');
    m.onStateChange({ server: 'fx', state: 'degraded', reason: 'ping timed out', at: Date.now() });
    const fx = m.snapshot().servers[0];
    expect(fx.restarts).toBe(1);
    expect(fx.uptimeSeconds).toBeGreaterThanOrEqual(5); // degraded is still up
    expect(await m.prometheusText()).toContain('switchboard_server_state{server="fx",state="degraded"} 1');
    change('stopped');
    expect(m.snapshot().servers[0].uptimeSeconds).toBeNull();
  });

  it('computes requests per second between samples', async () => {
    const m = metricsWith();
    m.onFrame(frame({}));
    const before = performance.now();
    await m.sampleNow();
    const firstSampled = performance.now();
    for (let i = 0; i < 20; i++) m.onFrame(frame({}));
    await new Promise((r) => setTimeout(r, 100));
    const secondSampling = performance.now();
    await m.sampleNow();
    const after = performance.now();
    const { rps } = m.snapshot().servers[0];
    // 20 frames over the time between the two samples, which lies within what this run measured around them
    // (give or take the millisecond steps of Date.now, which the sampler reads).
    expect(rps).toBeGreaterThanOrEqual(20 / ((after - before + 2) / 1000));
    expect(rps).toBeLessThanOrEqual(20 / ((secondSampling - firstSampled - 2) / 1000));
  });

  it('drops sessions that went silent, should their end never be reported', async () => {
    const m = metricsWith({ sessionIdleMs: 1000 });
    m.onFrame(frame({ session: 'old', time: Date.now() - 5000 }));
    m.onFrame(frame({ session: 'new' }));
    await m.sampleNow();
    expect(m.snapshot().sessions.map((s) => s.id)).toEqual(['new']);
  });

  it('keeps Switchboard’s own traffic (no session) out of the session series', async () => {
    const m = metricsWith();
    m.onFrame(frame({ session: null, method: 'ping' }));
    m.onFrame(response({ session: null, method: 'ping' }));
    expect(m.snapshot().sessions).toEqual([]);
    expect(m.snapshot().servers[0].requests).toBe(1);
  });

  it('forgets a removed server entirely', async () => {
    const m = metricsWith();
    m.onFrame(frame({}));
    m.onFrame(response());
    m.removeServer('fx');
    expect(m.snapshot()).toMatchObject({ servers: [], sessions: [] });
    expect(await m.prometheusText()).not.toContain('server="fx"');
  });

  it('keeps two instances apart (private registries)', async () => {
    const a = metricsWith();
    const b = metricsWith();
    a.onFrame(frame({ server: 'a' }));
    b.onFrame(frame({ server: 'b' }));
    expect(await a.prometheusText()).not.toContain('server="b"');
    expect(await b.prometheusText()).not.toContain('server="a"');
  });
});
