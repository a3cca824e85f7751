import Database from 'better-sqlite3';
import type { SchemaChange, SchemaSnapshot } from '../devloop/schema-diff.js';
import { configureConnection, type SqliteDatabase } from './database.js';

/** One start of a server as the developer's loop recorded it. */
export interface SchemaRun {
  id: number;
  server: string;
  time: number;
  snapshot: SchemaSnapshot;
  /** What changed since the run before; empty for the first run ever recorded. */
  changes: SchemaChange[];
  /** True when there was no earlier run to compare with. */
  first: boolean;
}

/** Where the schema watcher keeps runs: SQLite for hosts with a store, memory for `switchboard dev`. */
export interface SchemaRunStore {
  latest(server: string): SchemaRun | undefined;
  record(run: Omit<SchemaRun, 'id'>): SchemaRun;
  /** The newest `limit` runs, newest first. */
  history(server: string, limit: number): SchemaRun[];
}

interface Row {
  id: number;
  server: string;
  time: number;
  snapshot: string;
  changes: string;
  first: number;
}

const fromRow = (r: Row): SchemaRun => ({
  id: r.id,
  server: r.server,
  time: r.time,
  snapshot: JSON.parse(r.snapshot) as SchemaSnapshot,
  changes: JSON.parse(r.changes) as SchemaChange[],
  first: r.first === 1,
});

/**
 * Schema runs in the store's file (table from migration 002). Writes are rare (one per server start) and reads
 * come from the dashboard, so each call opens its own short-lived connection: nothing to close when the store
 * closes, and the store's own connection and writer stay exactly as they were. Keeps `keep` runs per server.
 */
export class SchemaRunRepository implements SchemaRunStore {
  constructor(
    private readonly file: string,
    private readonly keep = 50,
  ) {}

  latest(server: string): SchemaRun | undefined {
    return this.history(server, 1)[0];
  }

  history(server: string, limit: number): SchemaRun[] {
    return this.with((db) =>
      (
        db
          .prepare('SELECT * FROM schema_runs WHERE server = ? ORDER BY id DESC LIMIT ?')
          .all(server, Math.max(0, Math.floor(limit))) as Row[]
      ).map(fromRow),
    );
  }

  record(run: Omit<SchemaRun, 'id'>): SchemaRun {
    return this.with((db) =>
      db.transaction(() => {
        const { lastInsertRowid } = db
          .prepare('INSERT INTO schema_runs (server, time, snapshot, changes, first) VALUES (?, ?, ?, ?, ?)')
          .run(run.server, run.time, JSON.stringify(run.snapshot), JSON.stringify(run.changes), run.first ? 1 : 0);
        db.prepare(
          'DELETE FROM schema_runs WHERE server = ? AND id NOT IN (SELECT id FROM schema_runs WHERE server = ? ORDER BY id DESC LIMIT ?)',
        ).run(run.server, run.server, this.keep);
        return { ...run, id: Number(lastInsertRowid) };
      })(),
    );
  }

  private with<T>(fn: (db: SqliteDatabase) => T): T {
    const db = new Database(this.file, { fileMustExist: true });
    try {
      configureConnection(db, { busyTimeoutMs: 1000 });
      return fn(db);
    } finally {
      db.close();
    }
  }
}

/** The same, in memory: `switchboard dev` compares runs within one session and keeps no file. */
export class MemorySchemaRunStore implements SchemaRunStore {
  private readonly runs: SchemaRun[] = [];
  private nextId = 1;

  constructor(private readonly keep = 50) {}

  latest(server: string): SchemaRun | undefined {
    return this.history(server, 1)[0];
  }

  history(server: string, limit: number): SchemaRun[] {
    return this.runs
      .filter((r) => r.server === server)
      .reverse()
      .slice(0, limit);
  }

  record(run: Omit<SchemaRun, 'id'>): SchemaRun {
    const stored = { ...run, id: this.nextId++ };
    this.runs.push(stored);
    const mine = this.runs.filter((r) => r.server === run.server);
    if (mine.length > this.keep) this.runs.splice(this.runs.indexOf(mine[0]!), 1);
    return stored;
  }
}
