import type { SqliteDatabase } from './database.js';
import { TRAFFIC_COLUMNS, fillTrafficParams, packRows, type PackedRows } from './packed-rows.js';
import type { WriterRow } from './rows.js';
import { classifyWriteError, type WriteFailure } from './store-error.js';

/**
 * Traffic rows per INSERT statement. One statement per row spends more on running the statement than on the row:
 * 16 rows a statement took 2.1 µs of CPU per row against 3.1–4.0 for one (200,000 rows of echo traffic, the
 * schema's indexes on); 64 was slower again.
 */
const ROWS_PER_INSERT = 16;

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
    const insertTraffic = (rows: number) =>
      db.prepare(
        `INSERT INTO traffic (${TRAFFIC_COLUMNS.join(', ')}) VALUES ` +
          Array(rows)
            .fill(`(${TRAFFIC_COLUMNS.map(() => '?').join(', ')})`)
            .join(', '),
      );
    const insertOne = insertTraffic(1);
    const insertGroup = insertTraffic(ROWS_PER_INSERT);
    const one = new Array<unknown>(TRAFFIC_COLUMNS.length);
    const group = new Array<unknown>(TRAFFIC_COLUMNS.length * ROWS_PER_INSERT);
    this.writeBatch = db.transaction((batch: PackedRows) => {
      for (const r of batch.logs) insertLog.run(r.time, r.level, r.source, r.server, r.message, r.fields);
      const traffic = batch.traffic;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= traffic.count; i += ROWS_PER_INSERT) {
        fillTrafficParams(traffic, i, ROWS_PER_INSERT, group);
        insertGroup.run(group);
      }
      for (; i < traffic.count; i++) {
        fillTrafficParams(traffic, i, 1, one);
        insertOne.run(one);
      }
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
