import { TokenBucket } from '../gateway/rate-limit.js';

/** Lines per second kept from one server's stderr unless its options say otherwise. */
export const defaultStderrLinesPerSecond = 5_000;
/** A quiet server may print this many seconds' worth at once (a stack trace, a startup banner) before the cap bites. */
export const stderrBurstSeconds = 2;
/** Drops are summed over at least this long, so a flood costs one summary row a second, not one per drop. */
export const droppedSummaryIntervalMs = 1_000;

/**
 * The summary line for `count` dropped lines. The dashboard's Logs tab reads the count back from this wording
 * (src/renderer/src/features/logs/LogsTab.tsx), so change both together.
 */
export function droppedSummary(count: number): string {
  return `[switchboard] dropped ${count} stderr lines over the rate cap`;
}

/** Where a limiter's output goes: kept lines one by one, drops as a count at most once per summary interval. */
export interface StderrSink {
  line(text: string): void;
  dropped(count: number): void;
}

/**
 * Caps how many stderr lines per second reach the logs, with a burst allowance (a token bucket). stderr is always
 * drained (the child never blocks on it); past the cap lines are counted, and the count goes out as one summary
 * per interval, at the end of the interval that saw the first drop, so every line is either kept or counted.
 */
export class StderrLimiter {
  private readonly bucket: TokenBucket;
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    perSecond: number,
    private readonly sink: StderrSink,
    private readonly summaryIntervalMs = droppedSummaryIntervalMs,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`stderr lines per second must be greater than 0, got ${perSecond}`);
    this.bucket = new TokenBucket(perSecond, Math.max(1, Math.round(perSecond * stderrBurstSeconds)));
  }

  line(text: string): void {
    if (this.disposed) return;
    if (this.bucket.take()) {
      this.sink.line(text);
      return;
    }
    this.pending++;
    if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.summaryIntervalMs);
      // A pending summary must not keep a stopping process alive; dispose() flushes it.
      this.timer.unref?.();
    }
  }

  /** Reports any drops not yet summarised and stops; later lines are ignored (the child is gone). */
  dispose(): void {
    if (this.disposed) return;
    this.flush();
    this.disposed = true;
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === 0) return;
    const count = this.pending;
    this.pending = 0;
    this.sink.dropped(count);
  }
}
