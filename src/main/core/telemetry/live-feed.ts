import { Listeners } from '../util/listeners.js';

/** What a live view receives about ten times a second. */
export interface LiveBatch<T> {
  items: T[];
  /** Items that arrived since the last batch but were left out to keep a batch small; query for them. */
  skipped: number;
}

/**
 * Fans items out to live views (dashboard, SSE) in timed batches, never one event per item: a UI gets about
 * `1000 / intervalMs` batches a second however busy the servers are. Nothing is buffered while nobody listens.
 */
export class LiveFeed<T> {
  private readonly listeners = new Listeners<LiveBatch<T>>();
  private subscribers = 0;
  private buffer: T[] = [];
  private skipped = 0;
  private timer: NodeJS.Timeout | null = null;

  private readonly intervalMs: number;
  private readonly maxBatch: number;

  constructor(private readonly options: { intervalMs?: number; maxBatch?: number; onError?(err: unknown): void } = {}) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxBatch = options.maxBatch ?? 1000;
  }

  /** Subscribes to batches; returns the unsubscribe. A listener that throws is reported, never fatal. */
  on(fn: (batch: LiveBatch<T>) => void): () => void {
    const off = this.listeners.on((batch) => {
      try {
        fn(batch);
      } catch (err) {
        this.options.onError?.(err);
      }
    });
    this.subscribers++;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      off();
      if (--this.subscribers === 0) this.reset();
    };
  }

  push(items: readonly T[]): void {
    if (this.subscribers === 0) return;
    for (const item of items) this.add(item);
  }

  add(item: T): void {
    if (this.subscribers === 0) return;
    this.buffer.push(item);
    if (this.buffer.length > this.maxBatch) {
      // Keep the newest: a live view shows what is happening now. Trimmed in steps, not one shift per item.
      const excess = this.buffer.length - Math.floor(this.maxBatch / 2);
      this.buffer.splice(0, excess);
      this.skipped += excess;
    }
    if (this.timer === null) {
      this.timer = setTimeout(() => this.emit(), this.intervalMs);
      this.timer.unref();
    }
  }

  dispose(): void {
    this.reset();
    this.listeners.clear();
    this.subscribers = 0;
  }

  private emit(): void {
    this.timer = null;
    const batch = { items: this.buffer, skipped: this.skipped };
    this.buffer = [];
    this.skipped = 0;
    if (batch.items.length > 0) this.listeners.emit(batch);
  }

  private reset(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.buffer = [];
    this.skipped = 0;
  }
}
