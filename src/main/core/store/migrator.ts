import type { Logger } from '../util/logger.js';
import type { SqliteDatabase } from './database.js';
import { StoreError } from './store-error.js';

/** One schema step. Ids only grow; a released migration is never edited, a new one is added instead. */
export interface Migration {
  id: number;
  name: string;
  up(db: SqliteDatabase): void;
}

export interface AppliedMigration {
  id: number;
  name: string;
  appliedAt: number;
}

/**
 * Brings the schema up to date. Each migration runs in its own transaction with its record in
 * `schema_migrations`, so a crash mid-way leaves the database at the last whole step. The run holds the write
 * lock (BEGIN IMMEDIATE) so two processes opening the same file cannot apply a step twice.
 */
export class Migrator {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly migrations: readonly Migration[],
    private readonly logger: Logger,
  ) {
    for (let i = 1; i < migrations.length; i++) {
      if (migrations[i]!.id <= migrations[i - 1]!.id) throw new Error('migrations must be sorted by increasing id');
    }
  }

  applied(): AppliedMigration[] {
    this.ensureTable();
    return this.db
      .prepare('SELECT id, name, applied_at AS appliedAt FROM schema_migrations ORDER BY id')
      .all() as AppliedMigration[];
  }

  /** Applies what is missing; returns the ids it applied. */
  run(now: () => number = Date.now): number[] {
    this.ensureTable();
    const latestKnown = this.migrations.at(-1)?.id ?? 0;
    const ran: number[] = [];
    for (const migration of this.migrations) {
      const step = this.db.transaction(() => {
        const done = this.db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(migration.id);
        if (done) return false;
        migration.up(this.db);
        this.db
          .prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.id, migration.name, now());
        return true;
      });
      try {
        if (step.immediate()) ran.push(migration.id);
      } catch (err) {
        throw new StoreError(
          'migration_failed',
          `database migration ${migration.id} (${migration.name}) failed: ${(err as Error).message}. The database is unchanged by this step.`,
          { cause: err },
        );
      }
    }
    const newest = this.db.prepare('SELECT max(id) AS id FROM schema_migrations').get() as { id: number | null };
    if ((newest.id ?? 0) > latestKnown) {
      throw new StoreError(
        'newer_schema',
        `the database was written by a newer MCP Switchboard (schema ${newest.id}; this version knows ${latestKnown}). Upgrade Switchboard, or use another --data-dir.`,
      );
    }
    if (ran.length) this.logger.info(`applied database migrations ${ran.join(', ')}`);
    return ran;
  }

  private ensureTable(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
  }
}
