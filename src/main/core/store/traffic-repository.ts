import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { FrameEvent } from '../telemetry/frame.js';
import type { BatchWriter } from './batch-writer.js';
import type { SqliteDatabase } from './database.js';
import { clampLimit, MAX_PAGE_ROWS, toPage, Where, type Page } from './query.js';
import type { TrafficRow as RecordedRow } from '../telemetry/traffic-row.js';
import { fromRecorded, toTrafficRow } from './rows.js';

export interface TrafficQuery {
  server?: string;
  session?: string;
  /** The client's name as it gave it in `initialize` (clientInfo.name). */
  client?: string;
  method?: string;
  errorsOnly?: boolean;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  limit?: number;
  before?: number;
}

export interface StoredFrame {
  id: number;
  time: number;
  server: string;
  session: string | null;
  clientName: string | null;
  direction: FrameEvent['direction'];
  kind: FrameEvent['kind'];
  method: string | null;
  clientId: string | number | null;
  isError: boolean;
  latencyMs: number | null;
  /** Length of the whole payload; longer than `payload` when it was cut. */
  size: number;
  payload: string;
}

const columns = `id, time, server, session, client_name AS clientName, direction, kind, method, client_id AS clientId,
  is_error AS isError, latency_ms AS latencyMs, size, payload`;

function fromRow(row: Omit<StoredFrame, 'isError'> & { isError: number }): StoredFrame {
  return { ...row, isError: row.isError === 1 };
}

/**
 * Recorded JSON-RPC frames. Payloads arrive already redacted by the recorder; here they are only cut to a
 * maximum length so one huge result cannot bloat the database.
 */
export class TrafficRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly writer: BatchWriter,
    private readonly maxPayloadChars: number,
  ) {}

  /** Hot path: queues the frame and returns. Never throws, never waits for the disk. */
  append(frame: FrameEvent): void {
    try {
      this.writer.enqueue(toTrafficRow(frame, this.maxPayloadChars));
    } catch {
      // A malformed frame is not worth an exception on the hot path; it is simply not stored.
    }
  }

  /** Hot path, a batch at a time: the recorder's rows, already redacted and capped. Never throws. */
  appendRecorded(rows: readonly RecordedRow[]): void {
    for (const row of rows) {
      try {
        this.writer.enqueue(fromRecorded(row, this.maxPayloadChars));
      } catch {
        // As in append: not stored, never thrown at the recorder.
      }
    }
  }

  /** Newest first. */
  query(q: TrafficQuery = {}): Page<StoredFrame> {
    const limit = clampLimit(q.limit);
    const where = this.filter(q).maybe(q.before, 'id < ?');
    const rows = this.db
      .prepare(`SELECT ${columns} FROM traffic ${where} ORDER BY id DESC LIMIT ?`)
      .all(...where.params, limit + 1) as Parameters<typeof fromRow>[0][];
    return toPage(rows.map(fromRow), limit);
  }

  /**
   * Writes the matching frames, oldest first, one JSON object per line. Reads a page at a time and waits for the
   * stream to drain, so a large export neither holds the event loop nor fills memory. Resolves with the count.
   */
  async exportJsonl(q: Omit<TrafficQuery, 'limit' | 'before'>, out: Writable): Promise<number> {
    const statement = this.db.prepare(
      `SELECT ${columns} FROM traffic ${this.filter(q).add('id > ?')} ORDER BY id LIMIT ?`,
    );
    const params = this.filter(q).params;
    let after = 0;
    let count = 0;
    for (;;) {
      const rows = statement.all(...params, after, MAX_PAGE_ROWS) as Parameters<typeof fromRow>[0][];
      if (rows.length === 0) return count;
      const text = rows.map((r) => JSON.stringify(fromRow(r))).join('\n') + '\n';
      count += rows.length;
      after = rows[rows.length - 1]!.id;
      if (!out.write(text)) await once(out, 'drain');
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private filter(q: TrafficQuery): Where {
    const where = new Where()
      .maybe(q.server, 'server = ?')
      .maybe(q.session, 'session = ?')
      .maybe(q.client, 'client_name = ?')
      .maybe(q.method, 'method = ?')
      .maybe(q.since, 'time >= ?')
      .maybe(q.until, 'time < ?');
    if (q.errorsOnly) where.add('is_error = 1');
    return where;
  }
}
