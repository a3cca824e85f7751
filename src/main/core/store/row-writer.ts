import type { SqliteDatabase } from './database.js';
import { forEachTrafficRow, packRows, type PackedRows } from './packed-rows.js';
import type { WriterRow } from './rows.js';
import { classifyWriteError, type WriteFailure } from './store-error.js';

export type WriteOutcome = { ok: true } | ({ ok: false } & WriteFailure);

/** Writes one batch of rows in one transaction on the connection it is given. Used on either thread. */
export class RowWriter {
  private readonly writeBatch: (batch: PackedRows) => void;

  constructor(
    db: SqliteDatabase,
    private readonly file: string,
  ) {
    const insertLog = db.prepare(
      'INSERT INTO logs (time, level, source, server, message, fields) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertTraffic = db.prepare(
      `INSERT INTO traffic (time, server, session, client_name, direction, kind, method, client_id, is_error,
        latency_ms, size, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.writeBatch = db.transaction((batch: PackedRows) => {
      for (const r of batch.logs) insertLog.run(r.time, r.level, r.source, r.server, r.message, r.fields);
      forEachTrafficRow(batch.traffic, (r) =>
        insertTraffic.run(
          r.time,
          r.server,
          r.session,
          r.clientName,
          r.direction,
          r.kind,
          r.method,
          r.clientId,
          r.isError,
          r.latencyMs,
          r.size,
          r.payload,
        ),
      );
    });
  }

  /** All rows or none: a failure rolls the transaction back and says why. */
  write(rows: WriterRow[] | PackedRows): WriteOutcome {
    try {
      this.writeBatch(Array.isArray(rows) ? packRows(rows) : rows);
      return { ok: true };
    } catch (err) {
      return { ok: false, ...classifyWriteError(err, this.file) };
    }
  }
}
