/**
 * Latency percentiles over the last minute, for the dashboard. Prometheus's histogram is cumulative since start
 * and too coarse to read a p99 from; a sample ring covers less than a minute under load. So: a ring of time slots
 * (12 × 5 s), each a log-scale histogram from 0.1 ms to 60 s with ~9 % wide buckets. Recording is one Math.log
 * and one increment; memory is fixed (~7 KiB per window); a percentile is within half a bucket (±4.5 %).
 */
const MIN_MS = 0.1;
const MAX_MS = 60_000;
const BUCKETS = 150;
// Bucket 0 holds [0, MIN_MS); bucket i ≥ 1 holds [MIN_MS·r^(i-1), MIN_MS·r^i); the last one also holds overflow.
const RATIO = Math.pow(MAX_MS / MIN_MS, 1 / (BUCKETS - 2));
const LOG_RATIO = Math.log(RATIO);

/** The value a percentile falling in bucket `i` reports: its geometric middle. */
function representative(i: number): number {
  if (i === 0) return MIN_MS / 2;
  return MIN_MS * Math.pow(RATIO, i - 0.5);
}

export function bucketOf(ms: number): number {
  if (!(ms >= MIN_MS)) return 0; // also catches NaN
  const i = 1 + Math.floor(Math.log(ms / MIN_MS) / LOG_RATIO);
  return i < BUCKETS ? i : BUCKETS - 1;
}

export class RollingPercentiles {
  private readonly counts: Uint32Array[];
  /** The slot number (time / slotMs) each ring position currently holds; -1 when unused. */
  private readonly epochs: Float64Array;
  private readonly slotMs: number;

  constructor(
    readonly windowMs = 60_000,
    private readonly slots = 12,
  ) {
    this.slotMs = windowMs / slots;
    this.counts = Array.from({ length: slots }, () => new Uint32Array(BUCKETS));
    this.epochs = new Float64Array(slots).fill(-1);
  }

  record(ms: number, now: number): void {
    const epoch = Math.floor(now / this.slotMs);
    const pos = epoch % this.slots;
    if (this.epochs[pos] !== epoch) {
      this.counts[pos].fill(0);
      this.epochs[pos] = epoch;
    }
    this.counts[pos][bucketOf(ms)]++;
  }

  /** Percentiles (each q in 0..1) over the window ending at `now`; null when nothing was recorded in it. */
  percentiles(qs: readonly number[], now: number): number[] | null {
    const merged = new Float64Array(BUCKETS);
    let total = 0;
    const current = Math.floor(now / this.slotMs);
    for (let pos = 0; pos < this.slots; pos++) {
      const epoch = this.epochs[pos];
      if (epoch < 0 || epoch > current || epoch <= current - this.slots) continue;
      const c = this.counts[pos];
      for (let i = 0; i < BUCKETS; i++) merged[i] += c[i];
    }
    for (let i = 0; i < BUCKETS; i++) total += merged[i];
    if (total === 0) return null;
    return qs.map((q) => {
      // The smallest bucket whose cumulative count reaches rank ⌈q·total⌉ (nearest-rank definition).
      const rank = Math.max(1, Math.ceil(q * total));
      let seen = 0;
      for (let i = 0; i < BUCKETS; i++) {
        seen += merged[i];
        if (seen >= rank) return representative(i);
      }
      return representative(BUCKETS - 1);
    });
  }

  /** How many values the window ending at `now` holds. */
  count(now: number): number {
    const current = Math.floor(now / this.slotMs);
    let total = 0;
    for (let pos = 0; pos < this.slots; pos++) {
      const epoch = this.epochs[pos];
      if (epoch < 0 || epoch > current || epoch <= current - this.slots) continue;
      for (const n of this.counts[pos]) total += n;
    }
    return total;
  }

  reset(): void {
    this.epochs.fill(-1);
  }
}
