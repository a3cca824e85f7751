import type { ConnectionOptions } from './database.js';
import type { PruneResult, RetentionPolicy } from './retention.js';
import type { WriteOutcome } from './row-writer.js';
import type { PackedRows } from './packed-rows.js';

/** What the writer thread is started with. */
export interface WriterWorkerData {
  file: string;
  connection: ConnectionOptions;
}

export type WriterRequest =
  | { type: 'write'; id: number; rows: PackedRows }
  | { type: 'prune'; id: number; policy: RetentionPolicy; now: number }
  | { type: 'close'; id: number };

export type WriterReply =
  | { type: 'ready' }
  | { type: 'open_failed'; message: string }
  | { type: 'written'; id: number; outcome: WriteOutcome }
  | { type: 'pruned'; id: number; result: PruneResult }
  | { type: 'closed'; id: number };
