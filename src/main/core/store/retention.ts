import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

export interface RetentionPolicy {
  /** Rows older than this go. */
  maxAgeMs: number;
  /** Newest rows kept per table. */
  maxLogRows: number;
  maxTrafficRows: number;
  /** Bytes the database may use (pages in use, not counting free pages, which new rows reuse). */
  maxBytes: number;
  /** Rows deleted per statement; each statement is its own short transaction and its own event-loop turn. */
  chunkRows: number;
}

export const defaultRetention: RetentionPolicy = {
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  maxLogRows: 2_000_000,
  maxTrafficRows: 1_000_000,
  maxBytes: 1024 * 1024 * 1024,
  chunkRows: 2000,
};

export interface PruneResult {
  logs: number;
  traffic: number;
  chunks: number;
  ms: number;
  /** Set when a chunk failed (locked, disk trouble); the rest waits for the next run. */
  error?: string;
}

type Table = 'logs' | 'traffic';
const tables: readonly Table[] = ['logs', 'traffic'];

interface TableStatements {
  byAge: Statement;
  upToId: Statement;
  maxId: Statement;
  oldestTime: Statement;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes old rows in small chunks, yielding to the event loop between chunks, so pruning millions of rows never
 * holds the thread (or the write lock) for more than one chunk. Ids follow time, so "oldest" is "lowest id".
 */
export class Retention {
  private stopped = false;
  private readonly statements: Record<Table, TableStatements>;

  constructor(private readonly db: SqliteDatabase) {
    const prepare = (t: Table): TableStatements => ({
      byAge: db.prepare(`DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} WHERE time < ? ORDER BY time LIMIT ?)`),
      upToId: db.prepare(`DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} WHERE id <= ? ORDER BY id LIMIT ?)`),
      maxId: db.prepare(`SELECT max(id) AS v FROM ${t}`),
      oldestTime: db.prepare(`SELECT time AS v FROM ${t} ORDER BY id LIMIT 1`),
    });
    this.statements = { logs: prepare('logs'), traffic: prepare('traffic') };
  }

  /** Makes a running prune return after its current chunk. */
  stop(): void {
    this.stopped = true;
  }

  async prune(policy: RetentionPolicy, now = Date.now()): Promise<PruneResult> {
    const started = performance.now();
    const result: PruneResult = { logs: 0, traffic: 0, chunks: 0, ms: 0 };
    const chunk = async (table: Table, del: () => number): Promise<boolean> => {
      const n = del();
      result[table] += n;
      result.chunks++;
      await nextTurn();
      return n > 0 && !this.stopped;
    };
    try {
      for (const table of tables) {
        const s = this.statements[table];
        const cutoff = now - policy.maxAgeMs;
        while (await chunk(table, () => s.byAge.run(cutoff, policy.chunkRows).changes));
        const keep = table === 'logs' ? policy.maxLogRows : policy.maxTrafficRows;
        const maxId = (s.maxId.get() as { v: number | null }).v;
        if (maxId !== null && !this.stopped) {
          while (await chunk(table, () => s.upToId.run(maxId - keep, policy.chunkRows).changes));
        }
      }
      while (!this.stopped && this.usedBytes() > policy.maxBytes) {
        const table = this.tableWithOldestRow();
        if (!table) break;
        const s = this.statements[table];
        if (!(await chunk(table, () => s.upToId.run(Number.MAX_SAFE_INTEGER, policy.chunkRows).changes))) break;
      }
    } catch (err) {
      result.error = (err as Error).message;
    }
    result.ms = performance.now() - started;
    return result;
  }

  usedBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  private tableWithOldestRow(): Table | null {
    const oldest = (t: Table) => (this.statements[t].oldestTime.get() as { v: number } | undefined)?.v ?? null;
    const [logs, traffic] = [oldest('logs'), oldest('traffic')];
    if (logs === null) return traffic === null ? null : 'traffic';
    return traffic === null || logs <= traffic ? 'logs' : 'traffic';
  }
}
