import type { WriterRow } from './rows.js';

/**
 * A bounded FIFO ring of rows waiting for the writer. Full means the writer is behind (or the disk is gone):
 * the oldest rows make room for new ones and are counted, so the hot path never waits and memory stays bounded.
 */
export class RowQueue {
  private readonly slots: (WriterRow | undefined)[];
  private head = 0;
  private count = 0;
  /** Rows pushed out by newer ones, ever. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error('queue capacity must be at least 1');
    this.slots = new Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(row: WriterRow): void {
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.dropped++;
    }
    this.slots[(this.head + this.count) % this.capacity] = row;
    this.count++;
  }

  /** Removes and returns up to `n` of the oldest rows. */
  take(n: number): WriterRow[] {
    const k = Math.min(n, this.count);
    const rows = new Array<WriterRow>(k);
    for (let i = 0; i < k; i++) {
      rows[i] = this.slots[this.head]!;
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= k;
    return rows;
  }

  /**
   * Returns rows taken earlier (a failed batch) to the front, keeping order. Rows newer than them arrived in the
   * meantime; when they do not all fit, the oldest of the returned rows are the ones dropped.
   */
  putBack(rows: WriterRow[]): void {
    const room = this.capacity - this.count;
    const skip = Math.max(0, rows.length - room);
    this.dropped += skip;
    for (let i = rows.length - 1; i >= skip; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.slots[this.head] = rows[i];
      this.count++;
    }
  }
}
