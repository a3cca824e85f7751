import type { SqliteDatabase } from './database.js';
import { Retention, type PruneResult, type RetentionPolicy } from './retention.js';
import { RowWriter, type WriteOutcome } from './row-writer.js';
import type { WriterRow } from './rows.js';

export type WriterDesign = 'worker' | 'main-thread';

/**
 * Where batches go: a connection that writes them in one transaction and prunes old rows. The batch writer does
 * not know which thread that connection lives on; `write` resolves with the outcome and never rejects.
 */
export interface BatchSink {
  readonly design: WriterDesign;
  write(rows: WriterRow[]): Promise<WriteOutcome>;
  prune(policy: RetentionPolicy, now: number): Promise<PruneResult>;
  close(): Promise<void>;
}

/** Writes on the caller's thread, on the main connection. Each batch holds the event loop for one transaction. */
export class MainThreadSink implements BatchSink {
  readonly design = 'main-thread';
  private readonly writer: RowWriter;
  private readonly retention: Retention;
  private pruning: Promise<PruneResult> | null = null;

  constructor(db: SqliteDatabase, file: string) {
    this.writer = new RowWriter(db, file);
    this.retention = new Retention(db);
  }

  write(rows: WriterRow[]): Promise<WriteOutcome> {
    return Promise.resolve(this.writer.write(rows));
  }

  prune(policy: RetentionPolicy, now: number): Promise<PruneResult> {
    this.pruning ??= this.retention.prune(policy, now).finally(() => (this.pruning = null));
    return this.pruning;
  }

  async close(): Promise<void> {
    this.retention.stop();
    await this.pruning;
  }
}
