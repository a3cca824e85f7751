import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StderrLimiter, droppedSummary, type StderrSink } from './stderr-limiter.js';

/** A sink that remembers what it got, and when (in fake milliseconds). */
function recorder() {
  const kept: string[] = [];
  const summaries: { at: number; count: number }[] = [];
  const sink: StderrSink = {
    line: (text) => kept.push(text),
    dropped: (count) => summaries.push({ at: performance.now(), count }),
  };
  return { sink, kept, summaries, droppedTotal: () => summaries.reduce((n, s) => n + s.count, 0) };
}

describe('StderrLimiter', () => {
  // The bucket reads performance.now() and the summary waits on setTimeout: both are faked, so time is exact.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('keeps a burst of two seconds at once, then counts the rest into one summary a second later', () => {
    const r = recorder();
    const limiter = new StderrLimiter(5_000, r.sink);
    for (let i = 0; i < 25_000; i++) limiter.line(`line ${i}`);
    expect(r.kept).toHaveLength(10_000);
    expect(r.kept[0]).toBe('line 0');
    expect(r.summaries).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(r.summaries).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(r.summaries.map((s) => s.count)).toEqual([15_000]);
    vi.advanceTimersByTime(10_000);
    expect(r.summaries).toHaveLength(1);
  });

  it('keeps at least the cap during a long flood and summarises drops at most once a second', () => {
    const r = recorder();
    const limiter = new StderrLimiter(5_000, r.sink);
    let written = 0;
    // 4 s at 20,000 lines/s, in 1 ms steps: four times the cap.
    for (let ms = 0; ms < 4_000; ms++) {
      for (let i = 0; i < 20; i++) limiter.line(`line ${written++}`);
      vi.advanceTimersByTime(1);
    }
    const timed = [...r.summaries];
    limiter.dispose(); // a stopping server reports what is pending at once
    // The burst, plus the cap's 5 lines for each of the 3,999 ms that passed between the first and last write.
    expect(r.kept.length).toBeGreaterThanOrEqual(10_000 + 3_999 * 5 - 1);
    expect(r.kept.length + r.droppedTotal()).toBe(written);
    expect(timed.length).toBeGreaterThanOrEqual(3);
    expect(timed.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < timed.length; i++) expect(timed[i]!.at - timed[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
    expect(r.summaries.length - timed.length).toBeLessThanOrEqual(1);
  });

  it('keeps every line of a 4 s burst at 5,000 lines/s', () => {
    const r = recorder();
    const limiter = new StderrLimiter(5_000, r.sink);
    for (let ms = 0; ms < 4_000; ms++) {
      for (let i = 0; i < 5; i++) limiter.line('x');
      vi.advanceTimersByTime(1);
    }
    limiter.dispose();
    expect(r.kept).toHaveLength(20_000);
    expect(r.summaries).toEqual([]);
  });

  it('reports pending drops when disposed, and ignores lines after that', () => {
    const r = recorder();
    const limiter = new StderrLimiter(1, r.sink);
    for (let i = 0; i < 10; i++) limiter.line(`line ${i}`);
    expect(r.kept).toEqual(['line 0', 'line 1']);
    limiter.dispose();
    expect(r.summaries.map((s) => s.count)).toEqual([8]);
    limiter.line('after');
    vi.advanceTimersByTime(5_000);
    expect(r.kept).toEqual(['line 0', 'line 1']);
    expect(r.summaries).toHaveLength(1);
  });

  it('refuses a cap that is not a positive number', () => {
    const r = recorder();
    expect(() => new StderrLimiter(0, r.sink)).toThrow(/greater than 0, got 0/);
    expect(() => new StderrLimiter(Number.NaN, r.sink)).toThrow(/greater than 0/);
  });

  it('words the summary the way the Logs tab reads it back', () => {
    const text = droppedSummary(1234);
    expect(text).toBe('[switchboard] dropped 1234 stderr lines over the rate cap');
    expect(/^\[switchboard\] dropped (\d+) stderr lines over the rate cap$/.exec(text)?.[1]).toBe('1234');
  });
});
