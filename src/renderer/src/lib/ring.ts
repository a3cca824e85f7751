/**
 * A bounded buffer that keeps the newest `capacity` items. Items are addressed by absolute position: position n is
 * the n-th item ever pushed, so a position stays valid (or becomes `undefined` once evicted) while the ring moves.
 * Pushing costs O(1) per item and never copies the buffer, which is what lets a view hold 100,000 log lines.
 */
export class Ring<T> {
  private readonly items: Array<T | undefined>;
  private first = 0;
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be ≥ 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** Absolute position of the oldest item kept. */
  get start(): number {
    return this.first;
  }

  /** One past the absolute position of the newest item. */
  get end(): number {
    return this.next;
  }

  get length(): number {
    return this.next - this.first;
  }

  push(item: T): number {
    const position = this.next++;
    this.items[position % this.capacity] = item;
    if (this.next - this.first > this.capacity) this.first = this.next - this.capacity;
    return position;
  }

  pushAll(items: readonly T[]): void {
    for (const item of items) this.push(item);
  }

  at(position: number): T | undefined {
    if (position < this.first || position >= this.next) return undefined;
    return this.items[position % this.capacity];
  }

  /** Replaces a kept item; false when `position` was evicted or never pushed. */
  set(position: number, item: T): boolean {
    if (position < this.first || position >= this.next) return false;
    this.items[position % this.capacity] = item;
    return true;
  }

  clear(): void {
    this.items.fill(undefined);
    this.first = this.next;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let p = this.first; p < this.next; p++) out.push(this.items[p % this.capacity] as T);
    return out;
  }
}

/**
 * The positions of a ring's items that pass a predicate, kept up to date incrementally: `refresh()` looks only at
 * items pushed since the last call and forgets positions the ring evicted. For append-only data (log lines);
 * data that changes in place needs `rebuild()`.
 */
export class FilteredView<T> {
  private positions: number[] = [];
  private head = 0;
  private scanned: number;

  constructor(
    private readonly ring: Ring<T>,
    private readonly predicate: ((item: T) => boolean) | null,
  ) {
    this.scanned = ring.start;
    this.refresh();
  }

  refresh(): void {
    const { ring } = this;
    if (this.predicate === null) return;
    for (let p = Math.max(this.scanned, ring.start); p < ring.end; p++) {
      if (this.predicate(ring.at(p) as T)) this.positions.push(p);
    }
    this.scanned = ring.end;
    while (this.head < this.positions.length && this.positions[this.head]! < ring.start) this.head++;
    // Compact now and then so dropped positions do not pile up at the front.
    if (this.head > 4096 && this.head * 2 > this.positions.length) {
      this.positions = this.positions.slice(this.head);
      this.head = 0;
    }
  }

  rebuild(): void {
    this.positions = [];
    this.head = 0;
    this.scanned = this.ring.start;
    this.refresh();
  }

  get length(): number {
    return this.predicate === null ? this.ring.length : this.positions.length - this.head;
  }

  /** The ring position of the i-th item that passes: a key that stays with the item while the ring moves. */
  positionAt(index: number): number {
    return this.predicate === null ? this.ring.start + index : (this.positions[this.head + index] ?? -1);
  }

  /** The i-th item that passes, oldest first. */
  at(index: number): T | undefined {
    if (this.predicate === null) return this.ring.at(this.ring.start + index);
    const position = this.positions[this.head + index];
    return position === undefined ? undefined : this.ring.at(position);
  }
}
