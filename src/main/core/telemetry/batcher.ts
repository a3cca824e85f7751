/**
 * Collects items and hands them on in batches: when `maxItems` are waiting, or `intervalMs` after the first one.
 * The timer only runs while something is waiting, so an idle engine does not wake up ten times a second.
 */
export interface BatcherOptions<T> {
  maxItems: number;
  intervalMs: number;
  deliver(items: T[]): void;
  /** A throwing consumer must not break the producer (the router's hot path); its errors end up here. */
  onError?(err: unknown): void;
}

export class Batcher<T> {
  private buffer: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(private readonly options: BatcherOptions<T>) {}

  get pending(): number {
    return this.buffer.length;
  }

  add(item: T): void {
    if (this.disposed) return;
    this.buffer.push(item);
    if (this.buffer.length >= this.options.maxItems) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.options.intervalMs);
      this.timer.unref();
    }
  }

  /** Delivers whatever is waiting, now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    try {
      this.options.deliver(items);
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /** Delivers the rest and stops for good. */
  dispose(): void {
    this.flush();
    this.disposed = true;
  }
}
