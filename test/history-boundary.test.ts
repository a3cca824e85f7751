import { afterEach, expect, it } from 'vitest';
import { exportTraffic, queryLogs, queryTraffic } from '../src/main/core/app/history.js';
import { EngineLog } from '../src/main/core/telemetry/engine-log.js';
import { Store } from '../src/main/core/store/index.js';
import type { FrameEvent } from '../src/main/core/telemetry/frame.js';
import { TrafficRecorder } from '../src/main/core/telemetry/traffic-recorder.js';
import { createLogger, type LogRecord } from '../src/main/core/util/logger.js';
import { tempDir } from './helpers/host.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const frame = (n: number, time: number): FrameEvent => ({
  direction: n % 2 ? 'down' : 'up',
  server: 'files',
  session: 's-1',
  clientName: 'Claude',
  kind: n % 2 ? 'response' : 'request',
  method: 'tools/call',
  clientId: n >> 1,
  isError: false,
  latencyMs: n % 2 ? 0.5 : undefined,
  size: `{"n":${n}}`.length,
  time,
  payload: `{"n":${n}}`,
  payloadCut: false,
});

/**
 * The dashboard's history joins memory (the newest frames) and the store (everything): where they meet, frames
 * share a millisecond. Memory here keeps 10 frames; 25 arrive in one millisecond and 5 in the next, so memory's
 * oldest millisecond has frames it still holds and frames only the store has. Every frame comes back, once, in
 * order.
 */
it('returns every frame once where memory and the store meet inside one millisecond', async () => {
  store = await Store.open({ dataDir: tempDir(), logger: createLogger('silent', () => {}), retention: false });
  const traffic = new TrafficRecorder({ capacity: 10, sink: (rows) => store!.traffic.appendRecorded(rows) });
  const sources = { telemetry: { traffic, logs: new EngineLog() }, store };
  for (let n = 0; n < 30; n++) traffic.onFrame(frame(n, n < 25 ? 1_000 : 1_001));
  traffic.query({ limit: 0 }); // hands the queued frames to the store
  await store.flush();

  const all = queryTraffic(sources, { limit: 100 });
  expect(all.map((f) => f.payload)).toEqual(Array.from({ length: 30 }, (_, n) => `{"n":${n}}`));
  // Older frames came from the store (negative seq), the newest 10 from memory.
  expect(all.filter((f) => f.seq > 0)).toHaveLength(10);

  // A limit that ends inside the shared millisecond keeps the newest frames.
  const some = queryTraffic(sources, { limit: 14 });
  expect(some.map((f) => f.payload)).toEqual(Array.from({ length: 14 }, (_, n) => `{"n":${n + 16}}`));
  traffic.dispose();
});

/** Export used to read memory only: after a restart it came back empty while the Traffic tab showed history. */
it('exports what history shows, from memory and the store, and after a restart from the store alone', async () => {
  store = await Store.open({ dataDir: tempDir(), logger: createLogger('silent', () => {}), retention: false });
  const traffic = new TrafficRecorder({ capacity: 10, sink: (rows) => store!.traffic.appendRecorded(rows) });
  for (let n = 0; n < 30; n++) traffic.onFrame(frame(n, 1_000 + n));
  traffic.query({ limit: 0 });
  await store.flush();
  const payloads = Array.from({ length: 30 }, (_, n) => `{"n":${n}}`);

  const running = { telemetry: { traffic, logs: new EngineLog() }, store };
  const rows = exportTraffic(running, { server: 'files' })
    .jsonl.trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(rows.map((r) => r.payload)).toEqual(payloads);
  expect(rows[0]).toMatchObject({ server: 'files', direction: 'up', kind: 'request', id: 0, truncated: false });
  expect(rows.at(-1)).toMatchObject({ direction: 'down', kind: 'response', id: 14, latencyMs: 0.5 });

  const restarted = { telemetry: { traffic: new TrafficRecorder(), logs: new EngineLog() }, store };
  const again = exportTraffic(restarted, { server: 'files', clientName: 'Claude' }).jsonl.trim().split('\n');
  expect(again.map((l) => JSON.parse(l).payload)).toEqual(payloads);
  expect(exportTraffic(restarted, { server: 'files', clientName: 'nobody' }).jsonl).toBe('');
  traffic.dispose();
});

it('returns every log line once where memory and the store meet inside one millisecond', async () => {
  store = await Store.open({ dataDir: tempDir(), logger: createLogger('silent', () => {}), retention: false });
  const logs = new EngineLog({ capacity: 10, sink: (records) => records.forEach((r) => store!.logs.append({ ...r })) });
  const sources = { telemetry: { traffic: new TrafficRecorder(), logs }, store };
  const line = (n: number): LogRecord => ({
    time: n < 25 ? 1_000 : 1_001, // a stderr chunk's lines share their millisecond
    level: 'info',
    source: 'switchboard:files:stderr',
    message: `line ${n}`,
  });
  for (let n = 0; n < 30; n++) logs.sink(line(n));
  logs.dispose(); // hands the batch to the store; memory stays queryable
  await store.flush();

  const lines = queryLogs(sources, { limit: 100 });
  expect(lines.map((l) => l.message)).toEqual(Array.from({ length: 30 }, (_, n) => `line ${n}`));
  const some = queryLogs(sources, { server: 'files', limit: 14 });
  expect(some.map((l) => l.message)).toEqual(Array.from({ length: 14 }, (_, n) => `line ${n + 16}`));
});

it('finds the same log lines by text in memory and in the store: message or source, case folded beyond ASCII', async () => {
  store = await Store.open({ dataDir: tempDir(), logger: createLogger('silent', () => {}), retention: false });
  const logs = new EngineLog({ capacity: 10, sink: (records) => records.forEach((r) => store!.logs.append({ ...r })) });
  const sources = { telemetry: { traffic: new TrafficRecorder(), logs }, store };
  const message = (n: number) => (n % 2 ? `calm ${n}` : `Ärger ${n}`);
  for (let n = 0; n < 30; n++) {
    logs.sink({ time: 1_000, level: 'info', source: 'switchboard:files:stderr', message: message(n) });
  }
  logs.dispose();
  await store.flush();

  // Memory holds the last 10 lines; the other 20 of the same millisecond come from the store.
  const byText = (text: string) => queryLogs(sources, { text, limit: 100 }).map((l) => l.message);
  const all = Array.from({ length: 30 }, (_, n) => message(n));
  expect(byText('ärger')).toEqual(all.filter((m) => m.startsWith('Ärger')));
  expect(byText('FILES:STDERR')).toEqual(all);
  expect(store.logs.query({ text: 'ÄRGER 4' }).rows.map((r) => r.message)).toEqual(['Ärger 4']);
});
