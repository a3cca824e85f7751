import { describe, expect, it } from 'vitest';
import { FilteredView, Ring } from './ring.js';

describe('Ring', () => {
  it('keeps the newest items and addresses them by absolute position', () => {
    const ring = new Ring<number>(3);
    ring.pushAll([1, 2, 3, 4, 5]);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.start).toBe(2);
    expect(ring.end).toBe(5);
    expect(ring.at(1)).toBeUndefined();
    expect(ring.at(2)).toBe(3);
    expect(ring.set(4, 50)).toBe(true);
    expect(ring.set(0, 9)).toBe(false);
    expect(ring.toArray()).toEqual([3, 4, 50]);
  });

  it('clears without reusing positions', () => {
    const ring = new Ring<string>(2);
    ring.pushAll(['a', 'b']);
    ring.clear();
    expect(ring.length).toBe(0);
    expect(ring.push('c')).toBe(2);
  });

  it('rejects a capacity below one', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
  });
});

describe('FilteredView', () => {
  it('follows appends and evictions incrementally', () => {
    const ring = new Ring<number>(5);
    const even = new FilteredView(ring, (n) => n % 2 === 0);
    ring.pushAll([1, 2, 3, 4]);
    even.refresh();
    expect([even.at(0), even.at(1)]).toEqual([2, 4]);
    ring.pushAll([5, 6, 7, 8]);
    even.refresh();
    // 1..3 are evicted: 4, 6, 8 remain.
    expect(even.length).toBe(3);
    expect([even.at(0), even.at(1), even.at(2)]).toEqual([4, 6, 8]);
  });

  it('is the whole ring without a predicate', () => {
    const ring = new Ring<number>(2);
    const all = new FilteredView(ring, null);
    ring.pushAll([1, 2, 3]);
    expect(all.length).toBe(2);
    expect(all.at(0)).toBe(2);
  });

  it('stays correct over many evictions', () => {
    const ring = new Ring<number>(100);
    const view = new FilteredView(ring, (n) => n % 10 === 0);
    for (let i = 0; i < 20_000; i++) {
      ring.push(i);
      if (i % 7 === 0) view.refresh();
    }
    view.refresh();
    expect(view.length).toBe(10);
    expect(view.at(0)).toBe(19_900);
  });
});

describe('FilteredView.positionAt', () => {
  it('gives the ring position of each passing item', () => {
    const ring = new Ring<number>(4);
    ring.pushAll([1, 2, 3, 4, 5, 6]);
    const odd = new FilteredView(ring, (n) => n % 2 === 1);
    expect([odd.positionAt(0), odd.positionAt(1)]).toEqual([2, 4]);
    expect(new FilteredView(ring, null).positionAt(0)).toBe(2);
  });
});

describe('keyed views', () => {
  type Line = { server: string; source: string; n: number };
  const keys = (l: Line) => (l.source === l.server ? l.server : [l.server, l.source]);

  it('read only their key, under every key an item has, and agree with a full scan', () => {
    const ring = new Ring<Line>(50, keys);
    const lines: Line[] = [];
    for (let n = 0; n < 400; n++) {
      const server = ['a', 'b', 'c'][n % 3]!;
      lines.push({ server, source: n % 5 === 0 ? 'engine' : server, n });
    }
    const keyed = new FilteredView(ring, null, 'a');
    const engineOdd = new FilteredView(ring, (l) => l.n % 2 === 1, 'engine');
    for (let i = 0; i < lines.length; i += 37) {
      ring.pushAll(lines.slice(i, i + 37));
      keyed.refresh();
      engineOdd.refresh();
      const scanA = new FilteredView(ring, (l) => l.server === 'a' || l.source === 'a');
      const scanEngine = new FilteredView(ring, (l) => l.source === 'engine' && l.n % 2 === 1);
      const items = (v: FilteredView<Line>) => Array.from({ length: v.length }, (_, j) => v.at(j)!.n);
      expect(items(keyed)).toEqual(items(scanA));
      expect(items(engineOdd)).toEqual(items(scanEngine));
      expect(keyed.positionAt(0)).toBe(scanA.positionAt(0));
    }
  });

  it('looks at the key positions only, not at the other items', () => {
    const ring = new Ring<Line>(10_000, keys);
    for (let n = 0; n < 10_000; n++) ring.push({ server: n < 100 ? 'small' : 'big', source: 'x', n });
    let tested = 0;
    const view = new FilteredView(
      ring,
      () => {
        tested++;
        return true;
      },
      'small',
    );
    expect(view.length).toBe(100);
    expect(tested).toBe(100);
  });

  it('keeps its index bounded while the ring wraps many times', () => {
    const ring = new Ring<Line>(100, keys);
    const view = new FilteredView(ring, null, 'a');
    for (let n = 0; n < 50_000; n++) ring.push({ server: 'a', source: 'a', n });
    view.refresh();
    expect(view.length).toBe(100);
    expect(view.at(0)!.n).toBe(49_900);
    expect(ring.positionsOf('a').length).toBeLessThanOrEqual(150);
    ring.clear();
    expect(ring.positionsOf('a')).toEqual([]);
  });
});
