import { expect, it } from 'vitest';
import { forEachTrafficRow, packRows, rowCount } from './packed-rows.js';
import type { LogRow, TrafficRow, WriterRow } from './rows.js';

const traffic = (over: Partial<TrafficRow>): TrafficRow => ({
  table: 'traffic',
  time: 1_700_000_000_123,
  server: 'files',
  session: 's-1',
  clientName: 'Claude',
  direction: 'up',
  kind: 'request',
  method: 'tools/call',
  clientId: 7,
  isError: 0,
  latencyMs: null,
  size: 42,
  payload: '{"jsonrpc":"2.0","id":7}',
  ...over,
});

const log: LogRow = {
  table: 'logs',
  time: 5,
  level: 'warn',
  source: 'engine',
  server: null,
  message: 'm',
  fields: null,
};

it('carries every traffic field through the columns, nulls, string ids and errors included, in order', () => {
  const rows: WriterRow[] = [
    traffic({}),
    log,
    traffic({ direction: 'down', kind: 'response', isError: 1, latencyMs: 0.25, clientId: '7', session: null }),
    traffic({ kind: 'notification', method: 'notifications/progress', clientId: null, clientName: null }),
    traffic({ server: 'memory', method: null, payload: 'ünïcode 🎉', latencyMs: 0 }),
  ];
  const packed = structuredClone(packRows(rows)); // what the writer thread receives
  expect(rowCount(packed)).toBe(5);
  expect(packed.logs).toEqual([log]);
  const back: TrafficRow[] = [];
  forEachTrafficRow(packed.traffic, (r) => back.push({ ...r }));
  expect(back).toEqual(rows.filter((r) => r.table === 'traffic'));
  // Each distinct name crosses once.
  expect(packed.traffic.names.filter((n) => n === 'files')).toHaveLength(1);
});

it('packs an empty batch and a logs-only batch', () => {
  expect(rowCount(packRows([]))).toBe(0);
  const p = packRows([log]);
  expect(p.traffic.count).toBe(0);
  expect(p.logs).toHaveLength(1);
});
