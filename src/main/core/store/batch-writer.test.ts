import { describe, expect, it } from 'vitest';
import { BatchWriter, defaultBatchWriterOptions, type BatchWriterOptions, type StoreWarning } from './batch-writer.js';
import type { WriteOutcome } from './row-writer.js';
import type { LogRow, WriterRow } from './rows.js';
import type { BatchSink } from './sink.js';

const row = (n: number): LogRow => ({
  table: 'logs',
  time: n,
  level: 'info',
  source: 't',
  server: null,
  message: String(n),
  fields: null,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sink whose outcomes the test scripts; `hold` keeps writes pending until released. */
class FakeSink implements BatchSink {
  readonly design = 'main-thread';
  readonly batches: number[][] = [];
  next: WriteOutcome[] = [];
  private held: Array<() => void> | null = null;

  hold(): void {
    this.held = [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const go of held) go();
  }
  async write(rows: WriterRow[]): Promise<WriteOutcome> {
    if (this.held) await new Promise<void>((r) => this.held!.push(r));
    const outcome = this.next.shift() ?? { ok: true };
    if (outcome.ok) this.batches.push(rows.map((r) => r.time));
    return outcome;
  }
  async prune() {
    return { logs: 0, traffic: 0, chunks: 0, ms: 0 };
  }
  async close() {}
}

function setup(options: Partial<BatchWriterOptions> = {}) {
  const sink = new FakeSink();
  const warnings: StoreWarning[] = [];
  const writer = new BatchWriter(sink, { ...defaultBatchWriterOptions, retryDelayMs: 20, ...options }, (w) =>
    warnings.push(w),
  );
  return { sink, writer, warnings };
}

const locked: WriteOutcome = { ok: false, kind: 'locked', transient: true, message: 'db is locked' };

describe('BatchWriter', () => {
  it('writes a batch as soon as batchRows wait, and the rest after flushIntervalMs', async () => {
    const { sink, writer } = setup({ batchRows: 500, maxBatchRows: 500, flushIntervalMs: 50 });
    for (let i = 1; i <= 1200; i++) writer.enqueue(row(i));
    expect(sink.batches).toEqual([]); // never written inside enqueue
    await sleep(10);
    expect(sink.batches.map((b) => b.length)).toEqual([500, 500]);
    await sleep(80);
    expect(sink.batches.map((b) => b.length)).toEqual([500, 500, 200]);
    expect(sink.batches.flat()).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    expect(writer.health()).toMatchObject({ accepted: 1200, written: 1200, queued: 0, rowsLost: 0 });
  });

  it('drops the oldest rows when the queue is full, never blocks, and warns once with the count', async () => {
    const { sink, writer, warnings } = setup({ capacity: 100, batchRows: 10, maxBatchRows: 10 });
    sink.hold();
    for (let i = 1; i <= 10; i++) writer.enqueue(row(i));
    await sleep(5); // rows 1-10 are in flight, held by the sink
    for (let i = 11; i <= 350; i++) writer.enqueue(row(i));
    sink.release();
    await writer.flush();
    await sleep(5);
    // 10 rows were in flight when the rest arrived; the queue kept the newest 100.
    expect(writer.health().rowsLost).toBe(240);
    expect(sink.batches.flat()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => i + 1),
      ...Array.from({ length: 100 }, (_, i) => 251 + i),
    ]);
    expect(warnings.filter((w) => w.kind === 'rows_lost')).toEqual([expect.objectContaining({ rowsLost: 240 })]);
  });

  it('keeps rows through a transient failure, says so once, retries and reports recovery', async () => {
    const { sink, writer, warnings } = setup({ batchRows: 5, maxBatchRows: 5 });
    sink.next = [locked, locked, locked];
    for (let i = 1; i <= 12; i++) writer.enqueue(row(i));
    await sleep(10);
    expect(writer.health().degraded).toMatchObject({ reason: 'locked' });
    expect(warnings).toEqual([{ kind: 'degraded', reason: 'locked', message: 'db is locked', rowsLost: 0 }]);
    writer.enqueue(row(13)); // still accepted while degraded
    await sleep(300);
    expect(warnings.map((w) => w.kind)).toEqual(['degraded', 'recovered']);
    await writer.flush();
    expect(sink.batches.flat()).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(writer.health()).toMatchObject({ degraded: null, rowsLost: 0, written: 13 });
  });

  it('counts a batch that fails for good as lost and goes on with the next', async () => {
    const { sink, writer, warnings } = setup({ batchRows: 3, maxBatchRows: 3 });
    sink.next = [{ ok: false, kind: 'bad_rows', transient: false, message: 'bad batch' }];
    for (let i = 1; i <= 6; i++) writer.enqueue(row(i));
    await writer.flush();
    await sleep(5);
    expect(sink.batches.flat()).toEqual([4, 5, 6]);
    expect(writer.health().rowsLost).toBe(3);
    expect(warnings).toEqual([{ kind: 'rows_lost', message: 'bad batch', rowsLost: 3 }]);
  });

  it('flush resolves after a failed attempt instead of waiting for the lock; close counts what is left as lost', async () => {
    const { sink, writer } = setup();
    sink.next = Array(50).fill(locked);
    writer.enqueue(row(1));
    await writer.flush();
    expect(writer.health()).toMatchObject({ queued: 1, written: 0 });
    await writer.close();
    expect(writer.health()).toMatchObject({ queued: 0, rowsLost: 1 });
    writer.enqueue(row(2)); // after close: ignored, not thrown
  });

  it('a throwing warning listener never reaches the caller of enqueue', async () => {
    const sink = new FakeSink();
    const writer = new BatchWriter(sink, { ...defaultBatchWriterOptions, capacity: 2 }, () => {
      throw new Error('listener bug');
    });
    expect(() => {
      for (let i = 0; i < 10; i++) writer.enqueue(row(i));
    }).not.toThrow();
    await writer.close();
  });
});
