import type { LogLevel } from '../util/logger.js';
import type { BatchWriter } from './batch-writer.js';
import type { SqliteDatabase } from './database.js';
import { clampLimit, toPage, Where, type Page } from './query.js';
import { toLogRow, type LogEntry } from './rows.js';

export type StoredLogLevel = Exclude<LogLevel, 'silent'>;

export interface LogQuery {
  server?: string;
  /** This level and above. */
  minLevel?: StoredLogLevel;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /**
   * A substring of the message or the source, case folded as JavaScript's toLowerCase folds it: the same match as
   * the in-memory log (EngineLog.query), so a search finds the same lines before and after they age into the store.
   */
  text?: string;
  limit?: number;
  /** Cursor from the previous page. */
  before?: number;
}

export interface StoredLog {
  id: number;
  time: number;
  level: StoredLogLevel;
  source: string;
  server: string | null;
  message: string;
  fields: Record<string, unknown> | null;
}

const levels: readonly StoredLogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The SQL function behind `text`: SQLite's LIKE folds ASCII only, and looks at one column. */
const TEXT_MATCH = 'log_text_matches';

/** Engine logs and servers' stderr: appended through the batched writer, read with filters and a cursor. */
export class LogRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly writer: BatchWriter,
  ) {
    db.function(TEXT_MATCH, { deterministic: true }, (message: unknown, source: unknown, needle: unknown) => {
      const n = needle as string;
      return (message as string).toLowerCase().includes(n) || (source as string).toLowerCase().includes(n) ? 1 : 0;
    });
  }

  /** Hot path: queues the line and returns. Never throws, never waits for the disk. */
  append(entry: LogEntry): void {
    try {
      this.writer.enqueue(toLogRow(entry));
    } catch {
      // A malformed entry is not worth an exception on the hot path; it is simply not stored.
    }
  }

  /** Newest first. */
  query(q: LogQuery = {}): Page<StoredLog> {
    const limit = clampLimit(q.limit);
    const where = new Where()
      .maybe(q.server, 'server = ?')
      .maybe(q.since, 'time >= ?')
      .maybe(q.until, 'time < ?')
      .maybe(q.before, 'id < ?');
    if (q.minLevel && q.minLevel !== 'debug') {
      const wanted = levels.slice(levels.indexOf(q.minLevel));
      where.add(`level IN (${wanted.map(() => '?').join(', ')})`, ...wanted);
    }
    if (q.text) where.add(`${TEXT_MATCH}(message, source, ?)`, q.text.toLowerCase());
    const rows = this.db
      .prepare(`SELECT id, time, level, source, server, message, fields FROM logs ${where} ORDER BY id DESC LIMIT ?`)
      .all(...where.params, limit + 1) as Array<Omit<StoredLog, 'fields'> & { fields: string | null }>;
    return toPage(
      rows.map((r) => ({ ...r, fields: r.fields === null ? null : (JSON.parse(r.fields) as Record<string, unknown>) })),
      limit,
    );
  }
}
