import { RowQueue } from './row-queue.js';
import type { WriteOutcome } from './row-writer.js';
import type { WriterRow } from './rows.js';
import type { BatchSink, WriterDesign } from './sink.js';
import type { WriteFailureKind } from './store-error.js';

export interface BatchWriterOptions {
  /** Rows held in memory at most; past it the oldest unwritten rows are dropped and counted. */
  capacity: number;
  /** Write as soon as this many rows wait... */
  batchRows: number;
  /** ...or when the oldest waiting row is this old. Bounds what a crash can lose. */
  flushIntervalMs: number;
  /** Rows per transaction when the writer is behind. */
  maxBatchRows: number;
  /** After a failure that may pass (locked, disk full), wait this long before retrying, doubling up to the max. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

export const defaultBatchWriterOptions: BatchWriterOptions = {
  capacity: 50_000,
  batchRows: 500,
  flushIntervalMs: 100,
  maxBatchRows: 500,
  retryDelayMs: 250,
  maxRetryDelayMs: 5000,
};

/** Something the engine should show: logging is degraded, recovered, or rows were lost. */
export type StoreWarning =
  | { kind: 'degraded'; reason: WriteFailureKind; message: string; rowsLost: number }
  | { kind: 'recovered'; message: string; rowsLost: number }
  | { kind: 'rows_lost'; message: string; rowsLost: number };

export interface WriterHealth {
  design: WriterDesign;
  /** Rows handed to the writer, ever. */
  accepted: number;
  /** Rows committed, ever. Rows are committed in the order they were accepted. */
  written: number;
  queued: number;
  inFlight: number;
  /** Rows that will never be written: dropped from a full queue, or in a batch that failed for good. */
  rowsLost: number;
  degraded: { reason: WriteFailureKind; message: string; since: number } | null;
}

const LOSS_WARNING_INTERVAL_MS = 10_000;

/**
 * The hot path's door to the database. `enqueue` is O(1), never blocks and never throws; batches go to the sink
 * one at a time. When the sink fails in a way that may pass, rows stay queued (bounded) and writes are retried
 * with backoff; the transition is announced once as `degraded`, and again as `recovered`.
 */
export class BatchWriter {
  private readonly queue: RowQueue;
  private inFlight: WriterRow[] | null = null;
  private accepted = 0;
  private written = 0;
  private failed = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private degraded: WriterHealth['degraded'] = null;
  private retryDelay: number;
  private waiters: Array<{ target: number; resolve: () => void }> = [];
  private lossReported = 0;
  private lossWarnedAt = -Infinity;
  private lossTimer: NodeJS.Timeout | null = null;
  private lossCause: string | undefined;
  private closed = false;

  constructor(
    private readonly sink: BatchSink,
    private readonly options: BatchWriterOptions,
    private readonly warn: (warning: StoreWarning) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = new RowQueue(options.capacity);
    this.retryDelay = options.retryDelayMs;
  }

  enqueue(row: WriterRow): void {
    if (this.closed) return;
    this.accepted++;
    const dropsBefore = this.queue.dropped;
    this.queue.push(row);
    if (this.queue.dropped !== dropsBefore) this.reportLoss();
    if (this.degraded || this.inFlight) return; // the retry timer, or the batch in flight, schedules the next write
    if (this.queue.length >= this.options.batchRows) this.writeSoon();
    else this.timer ??= setTimeout(() => this.pump(), this.options.flushIntervalMs).unref();
  }

  /**
   * Resolves when every row accepted before the call is written, or when an attempt to write them failed (then
   * `health()` says why and the rows stay queued for the retry).
   */
  flush(): Promise<void> {
    if (this.settled() >= this.accepted) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ target: this.accepted, resolve }));
    if (!this.inFlight) this.pump();
    return done;
  }

  /** Flushes, then stops; rows that could not be written are counted as lost. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.clearSchedule();
    this.failed += this.queue.take(this.queue.length).length;
    if (this.lossTimer) clearTimeout(this.lossTimer);
    this.emitLoss();
    await this.sink.close();
  }

  health(): WriterHealth {
    return {
      design: this.sink.design,
      accepted: this.accepted,
      written: this.written,
      queued: this.queue.length,
      inFlight: this.inFlight?.length ?? 0,
      rowsLost: this.rowsLost(),
      degraded: this.degraded,
    };
  }

  private rowsLost(): number {
    return this.queue.dropped + this.failed;
  }

  private settled(): number {
    return this.accepted - this.queue.length - (this.inFlight?.length ?? 0);
  }

  private writeSoon(): void {
    this.immediate ??= setImmediate(() => this.pump());
  }

  private clearSchedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private pump(): void {
    this.clearSchedule();
    if (this.inFlight || this.closed) return;
    if (this.queue.length === 0) return this.resolveWaiters(false);
    const rows = this.queue.take(this.options.maxBatchRows);
    this.inFlight = rows;
    this.sink.write(rows).then(
      (outcome) => this.done(rows, outcome),
      (err: unknown) => this.done(rows, { ok: false, kind: 'writer_down', transient: true, message: String(err) }),
    );
  }

  private done(rows: WriterRow[], outcome: WriteOutcome): void {
    this.inFlight = null;
    if (outcome.ok) {
      this.written += rows.length;
      if (this.degraded) this.recover();
    } else if (outcome.transient) {
      this.queue.putBack(rows);
      if (this.degraded?.reason !== outcome.kind) {
        this.degraded = { reason: outcome.kind, message: outcome.message, since: this.now() };
        this.emit({ kind: 'degraded', reason: outcome.kind, message: outcome.message, rowsLost: this.rowsLost() });
      }
      this.resolveWaiters(true);
      this.timer = setTimeout(() => this.pump(), this.retryDelay).unref();
      this.retryDelay = Math.min(this.retryDelay * 2, this.options.maxRetryDelayMs);
      return;
    } else {
      this.failed += rows.length;
      this.reportLoss(outcome.message);
    }
    this.resolveWaiters(false);
    if (this.waiters.length || this.queue.length >= this.options.batchRows) this.writeSoon();
    else if (this.queue.length > 0) this.timer ??= setTimeout(() => this.pump(), this.options.flushIntervalMs).unref();
  }

  private recover(): void {
    const since = this.degraded!.since;
    this.degraded = null;
    this.retryDelay = this.options.retryDelayMs;
    this.emit({
      kind: 'recovered',
      message: `logs and traffic are being saved again after ${Math.round((this.now() - since) / 1000)} s`,
      rowsLost: this.rowsLost(),
    });
  }

  private resolveWaiters(all: boolean): void {
    const settled = this.settled();
    const ready = all ? this.waiters : this.waiters.filter((w) => w.target <= settled);
    if (!ready.length) return;
    this.waiters = all ? [] : this.waiters.filter((w) => w.target > settled);
    for (const w of ready) w.resolve();
  }

  /**
   * Announces lost rows on a later turn, so a burst of drops makes one warning with its whole count, and at most
   * one warning per interval; the last one always comes, with the running total.
   */
  private reportLoss(cause?: string): void {
    this.lossCause = cause ?? this.lossCause;
    const wait = Math.max(0, this.lossWarnedAt + LOSS_WARNING_INTERVAL_MS - this.now());
    this.lossTimer ??= setTimeout(() => this.emitLoss(), wait).unref();
  }

  private emitLoss(): void {
    this.lossTimer = null;
    const lost = this.rowsLost();
    if (lost === this.lossReported) return;
    const message =
      this.lossCause ??
      `${lost - this.lossReported} log and traffic rows were dropped: more than ${this.options.capacity} rows were waiting for the database`;
    this.lossReported = lost;
    this.lossWarnedAt = this.now();
    this.lossCause = undefined;
    this.emit({ kind: 'rows_lost', message, rowsLost: lost });
  }

  /** A listener's bug must not reach the hot path. */
  private emit(warning: StoreWarning): void {
    try {
      this.warn(warning);
    } catch {
      // Ignored on purpose: warnings are advisory.
    }
  }
}
