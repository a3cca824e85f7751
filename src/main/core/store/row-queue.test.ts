import { describe, expect, it } from 'vitest';
import { RowQueue } from './row-queue.js';
import type { LogRow } from './rows.js';

const row = (n: number): LogRow => ({
  table: 'logs',
  time: n,
  level: 'info',
  source: 't',
  server: null,
  message: String(n),
  fields: null,
});
const ids = (rows: { time: number }[]) => rows.map((r) => r.time);

describe('RowQueue', () => {
  it('is FIFO and drops the oldest rows when full, counting them', () => {
    const q = new RowQueue(3);
    for (let i = 1; i <= 5; i++) q.push(row(i));
    expect(q.length).toBe(3);
    expect(q.dropped).toBe(2);
    expect(ids(q.take(10))).toEqual([3, 4, 5]);
    expect(q.length).toBe(0);
  });

  it('puts a failed batch back in front, in order, dropping its oldest rows when newer ones took the room', () => {
    const q = new RowQueue(4);
    for (let i = 1; i <= 4; i++) q.push(row(i));
    const batch = q.take(3); // 1, 2, 3 in flight
    q.push(row(5));
    q.push(row(6));
    q.putBack(batch); // room for 1 of 3: keeps 3, drops 1 and 2
    expect(q.dropped).toBe(2);
    expect(ids(q.take(10))).toEqual([3, 4, 5, 6]);
  });

  it('wraps around its ring many times without losing order', () => {
    const q = new RowQueue(7);
    let next = 1;
    const seen: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 5; i++) q.push(row(next++));
      seen.push(...ids(q.take(round % 2 ? 3 : 7)));
    }
    seen.push(...ids(q.take(100)));
    expect(q.dropped).toBe(0);
    expect(seen).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
  });
});
