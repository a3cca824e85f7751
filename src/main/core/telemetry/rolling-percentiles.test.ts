import { describe, expect, it } from 'vitest';
import { RollingPercentiles, bucketOf } from './rolling-percentiles.js';

const within = (actual: number | undefined, expected: number, relative = 0.05) =>
  expect(Math.abs(actual! - expected) / expected).toBeLessThanOrEqual(relative);

describe('RollingPercentiles', () => {
  it('is null when empty', () => {
    expect(new RollingPercentiles().percentiles([0.5], 1_000_000)).toBeNull();
  });

  it('reads p50/p90/p99 of a known distribution within a bucket', () => {
    const w = new RollingPercentiles();
    const now = 1_000_000;
    for (let v = 1; v <= 1000; v++) w.record(v, now); // 1..1000 ms, one each
    const [p50, p90, p99] = w.percentiles([0.5, 0.9, 0.99], now)!;
    within(p50, 500);
    within(p90, 900);
    within(p99, 990);
    expect(w.count(now)).toBe(1000);
  });

  it('covers the whole range from sub-millisecond to a minute', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.05)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(0.1)).toBe(1);
    expect(bucketOf(10 * 60_000)).toBe(bucketOf(60_000));
    const w = new RollingPercentiles();
    w.record(0.25, 0);
    w.record(45_000, 0);
    const [low, high] = w.percentiles([0.5, 1], 0)!;
    within(low, 0.25);
    within(high, 45_000);
  });

  it('forgets values older than the window, slot by slot', () => {
    const w = new RollingPercentiles(60_000, 12);
    const start = 12_000_000; // a slot boundary
    for (let i = 0; i < 100; i++) w.record(1000, start); // slow, early
    for (let i = 0; i < 100; i++) w.record(10, start + 30_000); // fast, later
    expect(w.count(start + 30_000)).toBe(200);
    within(w.percentiles([0.99], start + 30_000)![0], 1000);
    // 60 s after the first slot began, it has left the window; the later values remain.
    expect(w.count(start + 60_000)).toBe(100);
    within(w.percentiles([0.99], start + 60_000)![0], 10);
    expect(w.percentiles([0.5], start + 95_000)).toBeNull();
  });

  it('reuses a ring slot after a wrap without mixing old counts in', () => {
    const w = new RollingPercentiles(60_000, 12);
    w.record(500, 0);
    w.record(5, 60_000); // same ring position, next lap
    expect(w.count(60_000)).toBe(1);
    within(w.percentiles([0.5], 60_000)![0], 5);
  });
});
