/**
 * A bounded buffer that keeps the newest `capacity` items. Items are addressed by absolute position: position n is
 * the n-th item ever pushed, so a position stays valid (or becomes `undefined` once evicted) while the ring moves.
 * Pushing costs O(1) per item and never copies the buffer, which is what lets a view hold 100,000 log lines.
 */
export class Ring<T> {
  private readonly items: Array<T | undefined>;
  private first = 0;
  private next = 0;
  /** Positions by key (a server's name), oldest first; evicted ones are dropped now and then, not at once. */
  private readonly byKey = new Map<string, number[]>();

  /**
   * `keyOf`: the keys an item is found under (e.g. its server), so a view of one key reads that key's positions
   * instead of testing every item in the ring: opening the logs of one server costs its lines, not all 100,000.
   */
  constructor(
    readonly capacity: number,
    private readonly keyOf?: (item: T) => string | readonly string[],
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be ≥ 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** Positions of the items pushed under `key`, oldest first; some may be evicted already (below `start`). */
  positionsOf(key: string): readonly number[] {
    return this.byKey.get(key) ?? [];
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
    if (this.keyOf) this.index(position, item);
    return position;
  }

  private index(position: number, item: T): void {
    const keys = this.keyOf!(item);
    for (const key of typeof keys === 'string' ? [keys] : keys) {
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      if (list[list.length - 1] === position) continue; // the same key twice for one item
      list.push(position);
      // More than capacity × 1.5 entries means a third at least are evicted: cut them (amortised O(1) a push).
      if (list.length > this.capacity * 1.5) this.byKey.set(key, list.slice(firstAtOrAfter(list, this.first)));
    }
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
    this.byKey.clear();
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
  /** Every item of the ring passes: no positions are kept at all. */
  private readonly all: boolean;

  /** `key`: look only at the items the ring indexed under it (see `Ring`'s `keyOf`), then apply `predicate`. */
  constructor(
    private readonly ring: Ring<T>,
    private readonly predicate: ((item: T) => boolean) | null,
    private readonly key?: string,
  ) {
    this.all = predicate === null && key === undefined;
    this.scanned = ring.start;
    this.refresh();
  }

  refresh(): void {
    const { ring, predicate } = this;
    if (this.all) return;
    const from = Math.max(this.scanned, ring.start);
    if (this.key !== undefined) {
      const list = ring.positionsOf(this.key);
      for (let i = firstAtOrAfter(list, from); i < list.length; i++) {
        const p = list[i]!;
        if (predicate === null || predicate(ring.at(p) as T)) this.positions.push(p);
      }
    } else {
      for (let p = from; p < ring.end; p++) {
        if (predicate!(ring.at(p) as T)) this.positions.push(p);
      }
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
    return this.all ? this.ring.length : this.positions.length - this.head;
  }

  /** The ring position of the i-th item that passes: a key that stays with the item while the ring moves. */
  positionAt(index: number): number {
    return this.all ? this.ring.start + index : (this.positions[this.head + index] ?? -1);
  }

  /** The i-th item that passes, oldest first. */
  at(index: number): T | undefined {
    if (this.all) return this.ring.at(this.ring.start + index);
    const position = this.positions[this.head + index];
    return position === undefined ? undefined : this.ring.at(position);
  }
}

/** The index of the first entry ≥ `position` in an ascending list (binary search). */
function firstAtOrAfter(list: readonly number[], position: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
