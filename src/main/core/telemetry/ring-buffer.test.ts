import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect([...ring.newestFirst()]).toEqual([7, 6, 5]);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
  });

  it('also keeps within a weight budget, but always keeps the newest item', () => {
    const ring = new RingBuffer<string>(100, { maxWeight: 10, weightOf: (s) => s.length });
    ring.push('aaaa');
    ring.push('bbbb');
    expect(ring.weight).toBe(8);
    ring.push('cccc'); // 12 > 10: the oldest goes
    expect(ring.toArray()).toEqual(['bbbb', 'cccc']);
    ring.push('x'.repeat(50));
    expect(ring.toArray()).toEqual(['x'.repeat(50)]);
    expect(ring.weight).toBe(50);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RingBuffer(0)).toThrow(/capacity/);
  });
});
