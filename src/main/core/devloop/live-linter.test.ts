import { expect, it } from 'vitest';
import type { LiveBatch } from '../telemetry/live-feed.js';
import type { TrafficRow } from '../telemetry/traffic-row.js';
import { LiveLinter } from './live-linter.js';

let seq = 0;
const badResponse = (time: number): TrafficRow => ({
  seq: ++seq,
  time,
  direction: 'down',
  server: 'files',
  session: 's1',
  clientName: 'c',
  kind: 'response',
  method: 'tools/call',
  id: seq,
  isError: false,
  latencyMs: 1,
  size: 40,
  pairKey: seq,
  payload: JSON.stringify({ jsonrpc: '2.0', id: seq, result: { content: 'not an array' } }),
  truncated: false,
});

it('checks every frame up to its budget per second, counts the rest once per batch, and checks again the next second', () => {
  let push: (batch: LiveBatch<TrafficRow>) => void = () => {};
  const counted: number[] = [];
  const linter = new LiveLinter({
    onTrafficBatch: (fn) => ((push = fn), () => {}),
    onLogBatch: () => () => {},
    maxPerServer: 1000,
    maxChecksPerSecond: 20,
    countUnchecked: (_server, n) => counted.push(n),
  });
  const second = 1_700_000_000_000;
  push({ items: Array.from({ length: 25 }, () => badResponse(second + 10)), skipped: 0 });
  expect(linter.problems('files')).toHaveLength(20);
  expect(linter.uncheckedFrames('files')).toBe(5);
  expect(counted).toEqual([5]); // once per batch, not once per frame

  push({ items: [badResponse(second + 1000)], skipped: 0 });
  expect(linter.problems('files')).toHaveLength(21);
  expect(linter.uncheckedFrames('files')).toBe(5);
  linter.dispose();
});
