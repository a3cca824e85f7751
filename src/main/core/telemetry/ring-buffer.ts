/**
 * A bounded, oldest-first ring. It is bounded by count and, optionally, by a weight (bytes): live views must keep
 * the newest N items without ever growing with traffic, and 10,000 frames of 64 KiB each would be 640 MiB.
 */
export class RingBuffer<T> {
  private items: Array<T | undefined>;
  private head = 0; // index of the oldest item
  private length = 0;
  private totalWeight = 0;
  private readonly weights: Float64Array | null;

  constructor(
    readonly capacity: number,
    private readonly options: { maxWeight?: number; weightOf?: (item: T) => number } = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be ≥ 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
    this.weights = options.weightOf ? new Float64Array(capacity) : null;
  }

  get size(): number {
    return this.length;
  }

  /** Sum of the weights of the items held (0 without a weight function). */
  get weight(): number {
    return this.totalWeight;
  }

  push(item: T): void {
    if (this.length === this.capacity) this.dropOldest();
    const index = (this.head + this.length) % this.capacity;
    this.items[index] = item;
    this.length++;
    if (this.weights) {
      const w = this.options.weightOf!(item);
      this.weights[index] = w;
      this.totalWeight += w;
      const max = this.options.maxWeight ?? Infinity;
      // Always keep the newest item, even alone over the budget: an empty live view helps nobody.
      while (this.totalWeight > max && this.length > 1) this.dropOldest();
    }
  }

  /** Newest first, for queries that want the latest N. */
  *newestFirst(): IterableIterator<T> {
    for (let i = this.length - 1; i >= 0; i--) yield this.items[(this.head + i) % this.capacity] as T;
  }

  toArray(): T[] {
    const out: T[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.items[(this.head + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.capacity);
    this.head = 0;
    this.length = 0;
    this.totalWeight = 0;
  }

  private dropOldest(): void {
    this.items[this.head] = undefined; // let the payload be collected
    if (this.weights) this.totalWeight -= this.weights[this.head];
    this.head = (this.head + 1) % this.capacity;
    this.length--;
  }
}
