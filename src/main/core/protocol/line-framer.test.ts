import { describe, expect, it } from 'vitest';
import { LineFramer, type OversizedLine } from './line-framer.js';

function frame(chunks: Buffer[], cap = 1 << 30) {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  const framer = new LineFramer(cap, { line: (l) => lines.push(l), oversized: (o) => oversized.push(o) });
  for (const c of chunks) framer.push(c);
  return { lines, oversized, framer };
}

/** Cuts `data` into pieces of random sizes from 1 to `max` bytes, with a seeded generator for repeatability. */
function randomChunks(data: Buffer, max: number, seed: number): Buffer[] {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const out: Buffer[] = [];
  for (let i = 0; i < data.length;) {
    const n = 1 + Math.floor(rand() * max);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

const messages = [
  { jsonrpc: '2.0', id: 1, result: { text: 'héllo wörld ✓ 😀' } },
  { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 0.5 } },
  { jsonrpc: '2.0', id: 'a', result: { big: 'y'.repeat(5000) } },
];
const stream = Buffer.from(messages.map((m) => JSON.stringify(m) + '\n').join(''));

describe('LineFramer (C6)', () => {
  it('parses every random chunking identically, multi-byte characters split or not', () => {
    const expected = messages.map((m) => JSON.stringify(m));
    for (let seed = 1; seed <= 200; seed++) {
      const { lines } = frame(randomChunks(stream, seed % 7 === 0 ? 3 : 200, seed));
      expect(lines).toEqual(expected);
    }
  });

  it('splits 2.5 messages per chunk exactly', () => {
    const one = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 7, result: {} }) + '\n');
    const data = Buffer.concat(Array.from({ length: 10 }, () => one));
    const size = Math.floor(one.length * 2.5);
    const chunks = [];
    for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
    const { lines, framer } = frame(chunks);
    expect(lines).toHaveLength(10);
    expect(new Set(lines)).toEqual(new Set([one.toString().trim()]));
    expect(framer.pendingBytes).toBe(0);
  });

  it('reassembles a 20 MB line arriving in 1-byte chunks', () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 3, result: { text: 'z'.repeat(20 * 1024 * 1024) } });
    const data = Buffer.from(big + '\n');
    const lines: string[] = [];
    const framer = new LineFramer(32 * 1024 * 1024, { line: (l) => lines.push(l), oversized: () => {} });
    for (let i = 0; i < data.length; i++) framer.push(data.subarray(i, i + 1));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBe(big.length);
    expect(JSON.parse(lines[0]!).id).toBe(3);
  });

  it('drops only a line over the cap, keeps its ends for the id, and goes on', () => {
    const before = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });
    const huge = JSON.stringify({ result: { text: 'q'.repeat(10_000) }, jsonrpc: '2.0', id: 2 });
    const after = JSON.stringify({ jsonrpc: '2.0', id: 3, result: {} });
    const data = Buffer.from([before, huge, after].join('\n') + '\n');
    for (const max of [1, 64, 4096, data.length]) {
      const { lines, oversized } = frame(randomChunks(data, max, max), 1000);
      expect(lines).toEqual([before, after]);
      expect(oversized).toHaveLength(1);
      expect(oversized[0]!.size).toBe(huge.length);
      expect(oversized[0]!.tail.endsWith('"id":2}')).toBe(true);
    }
  });

  it('ignores blank lines and strips CRLF', () => {
    const { lines } = frame([Buffer.from('\n\r\n{"a":1}\r\n  \n{"b":2}\n')]);
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('hands a line of largeBytes or more to `large` as its exact bytes, and decodes it when `large` declines', () => {
    const small = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: 'é'.repeat(100) } });
    const large = JSON.stringify({ jsonrpc: '2.0', id: 2, result: { text: 'é😀x'.repeat(30_000) } });
    const data = Buffer.from(`${small}\n${large}\r\n${small}\n`);
    for (const max of [1, 7, 4096, 70_000, data.length]) {
      for (const take of [true, false]) {
        const lines: string[] = [];
        const taken: Buffer[] = [];
        const framer = new LineFramer(
          1 << 30,
          {
            line: (l) => lines.push(l),
            oversized: () => {},
            large: (b) => (taken.push(Buffer.from(b)), take),
          },
          64 * 1024,
        );
        for (const c of randomChunks(data, max, max)) framer.push(c);
        // Multi-byte characters split across chunks come out whole either way; the CR is not part of the line.
        expect(taken.map((b) => b.toString('utf8'))).toEqual([large]);
        expect(lines).toEqual(take ? [small, small] : [small, large, small]);
      }
    }
  });
});
