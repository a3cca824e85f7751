import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from './batcher.js';
import { LiveFeed } from './live-feed.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Batcher', () => {
  it('delivers when full, or an interval after the first item, and only runs a timer while items wait', () => {
    const batches: number[][] = [];
    const b = new Batcher<number>({ maxItems: 3, intervalMs: 100, deliver: (items) => batches.push(items) });
    for (let i = 1; i <= 4; i++) b.add(i);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[1, 2, 3], [4]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('survives a throwing consumer and delivers the rest on dispose, then stops', () => {
    const errors: unknown[] = [];
    const seen: number[] = [];
    const b = new Batcher<number>({
      maxItems: 10,
      intervalMs: 100,
      deliver: (items) => {
        seen.push(...items);
        if (items.includes(1)) throw new Error('disk full');
      },
      onError: (err) => errors.push(err),
    });
    b.add(1);
    b.flush();
    b.add(2);
    b.dispose();
    b.add(3);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
  });
});

describe('LiveFeed', () => {
  it('batches items per interval, keeps the newest when a batch overflows, and buffers nothing unheard', () => {
    const feed = new LiveFeed<number>({ intervalMs: 100, maxBatch: 10 });
    feed.push([1, 2, 3]); // nobody listens: dropped
    const got: Array<{ items: number[]; skipped: number }> = [];
    const off = feed.on((b) => got.push(b));
    feed.push(Array.from({ length: 25 }, (_, i) => i));
    vi.advanceTimersByTime(100);
    expect(got).toHaveLength(1);
    expect(got[0].items.at(-1)).toBe(24);
    expect(got[0].items.length + got[0].skipped).toBe(25);
    expect(got[0].items.length).toBeLessThanOrEqual(10);
    off();
    feed.add(99);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a throwing listener without breaking the others', () => {
    const errors: unknown[] = [];
    const feed = new LiveFeed<number>({ onError: (e) => errors.push(e) });
    const got: number[] = [];
    feed.on(() => {
      throw new Error('bad view');
    });
    feed.on((b) => got.push(...b.items));
    feed.add(1);
    vi.advanceTimersByTime(100);
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(1);
    feed.dispose();
  });
});
