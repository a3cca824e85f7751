import { Histogram, Registry, type Metric } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LatencyMetric } from './latency-metric.js';
import { LATENCY_BUCKETS_SECONDS, MethodStats } from './stats.js';

describe('LatencyMetric', () => {
  it('prints what prom-client’s Histogram prints for the same observations', async () => {
    const name = 'switchboard_request_duration_seconds';
    const theirs = new Registry();
    const histogram = new Histogram({
      name,
      help: 'h',
      labelNames: ['server', 'method'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [theirs],
    });
    const ours = new Registry();
    const metric = new LatencyMetric(name, 'h');
    ours.registerMetric(metric as unknown as Metric);
    const call = new MethodStats('fx', 'tools/call');
    const list = new MethodStats('fx', 'tools/list');
    const idle = new MethodStats('fx', 'ping'); // no response yet: no series
    // Bucket edges, values between them, past the last bound, and zero.
    const seconds = [0, 0.0001, 0.00011, 0.001, 0.0049, 0.25, 1, 59.9, 60, 61, 3600, ...LATENCY_BUCKETS_SECONDS];
    seconds.forEach((s, i) => {
      const m = i % 3 === 0 ? list : call;
      m.observeLatency(s);
      histogram.observe(m.labels, s);
    });
    metric.methods = [list, call, idle]; // series in order of first observation, as prom-client has them
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain(`${name}_bucket{le="+Inf",server="fx",method="tools/call"}`);
    expect(text).not.toContain('method="ping"');
  });
});
