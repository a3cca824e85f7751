/**
 * The writer thread: its own connection to switchboard.db, writing the batches the main thread posts and pruning
 * old rows, so neither a transaction, a WAL checkpoint nor a prune ever runs on the main event loop.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { configureConnection, type SqliteDatabase } from './database.js';
import { Retention, type PruneResult } from './retention.js';
import { RowWriter } from './row-writer.js';
import type { WriterReply, WriterRequest, WriterWorkerData } from './writer-protocol.js';

const port = parentPort!;
const post = (reply: WriterReply) => port.postMessage(reply);
const { file, connection } = workerData as WriterWorkerData;

let db: SqliteDatabase | null = null;
try {
  db = new Database(file);
  configureConnection(db, connection);
} catch (err) {
  db?.close();
  db = null;
  post({ type: 'open_failed', message: `the writer thread cannot open ${file}: ${(err as Error).message}` });
}

if (db) {
  const open = db;
  const writer = new RowWriter(open, file);
  const retention = new Retention(open);
  let pruning: Promise<PruneResult> | null = null;

  port.on('message', (request: WriterRequest) => {
    switch (request.type) {
      case 'write':
        post({ type: 'written', id: request.id, outcome: writer.write(request.rows) });
        break;
      case 'prune':
        pruning ??= retention.prune(request.policy, request.now).finally(() => (pruning = null));
        void pruning.then((result) => post({ type: 'pruned', id: request.id, result }));
        break;
      case 'close':
        retention.stop();
        void Promise.resolve(pruning).then(() => {
          open.close();
          post({ type: 'closed', id: request.id });
          port.close();
        });
        break;
    }
  });
  post({ type: 'ready' });
}
