import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import type { Logger } from '../util/logger.js';
import { StoreError } from './store-error.js';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'switchboard.db';

export interface ConnectionOptions {
  /** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /** A hard ceiling on the file (PRAGMA max_page_count); writes past it fail like a full disk. */
  hardLimitBytes?: number;
}

export interface OpenedDatabase {
  db: SqliteDatabase;
  /** Set when the file was corrupt and moved aside: the paths it now has. */
  movedAside?: string[];
}

/**
 * Per-connection settings. WAL lets the dashboard read while the writer writes; synchronous=NORMAL in WAL mode
 * keeps every committed transaction across a process kill (only a power cut can lose the last few).
 */
export function configureConnection(db: SqliteDatabase, options: ConnectionOptions): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A burst (or a big prune) can grow the WAL; give the space back after the next checkpoint.
  db.pragma('journal_size_limit = 67108864');
  if (options.hardLimitBytes !== undefined) applyHardLimit(db, options.hardLimitBytes);
}

/** Caps the file at `bytes` (never below its current size). Apply after migrations, or they may not fit. */
export function applyHardLimit(db: SqliteDatabase, bytes: number): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`max_page_count = ${Math.max(1, Math.ceil(bytes / pageSize))}`);
}

function isCorruption(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/**
 * Opens, configures and quick-checks one file. A corrupt file comes back still open, with the reason: closing the
 * last connection would delete its -wal, which may hold the most recent (recoverable) transactions.
 */
function openChecked(file: string, options: ConnectionOptions): { db: SqliteDatabase; corruption?: string } {
  let db: SqliteDatabase;
  try {
    db = new Database(file);
  } catch (err) {
    throw new StoreError(
      'cannot_open',
      `cannot open ${file}: ${(err as Error).message}. Check that the data folder exists and is writable, or choose another with --data-dir.`,
      { cause: err },
    );
  }
  try {
    configureConnection(db, options);
    const check = db.pragma('quick_check', { simple: true });
    return check === 'ok' ? { db } : { db, corruption: `quick_check reported: ${String(check)}` };
  } catch (err) {
    if (isCorruption(err)) return { db, corruption: (err as Error).message };
    db.close();
    throw new StoreError('cannot_open', `cannot use ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Renames the file to `switchboard.db.corrupt-2024-05-01T12-00-00-000Z`, with -wal and -shm beside it so SQLite
 * can still pair them. Renames while the handle is open where the OS allows it (the -wal survives), else closes
 * first (Windows).
 */
function moveAside(file: string, db: SqliteDatabase, now: Date): string[] {
  const target = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  const moved: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(file + suffix)) continue;
    try {
      try {
        renameSync(file + suffix, target + suffix);
      } catch {
        if (db.open) db.close();
        if (!existsSync(file + suffix)) continue;
        renameSync(file + suffix, target + suffix);
      }
      moved.push(target + suffix);
    } catch (err) {
      throw new StoreError(
        'corrupt',
        `${file} is corrupt and could not be moved aside (${(err as Error).message}). Move or delete it by hand, then start again.`,
        { cause: err },
      );
    }
  }
  if (db.open) db.close();
  return moved;
}

/**
 * Opens the database file for the main connection. A corrupt file (or one that is not a database) is moved
 * aside, with a message saying where, and a fresh database takes its place: losing history beats not starting.
 */
export function openDatabase(
  file: string,
  options: ConnectionOptions,
  logger: Logger,
  now = new Date(),
): OpenedDatabase {
  const first = openChecked(file, options);
  if (first.corruption === undefined) return { db: first.db };
  const movedAside = moveAside(file, first.db, now);
  logger.error(
    `${file} is corrupt (${first.corruption}); moved it to ${movedAside[0] ?? '(nothing to move)'} and started a fresh database. Servers, settings and history in the old file are not loaded; the moved file may be recoverable with the sqlite3 ".recover" command.`,
  );
  const fresh = openChecked(file, options);
  if (fresh.corruption !== undefined) {
    fresh.db.close();
    throw new StoreError('corrupt', `a fresh ${file} failed its check too (${fresh.corruption}); check the disk.`);
  }
  return { db: fresh.db, movedAside };
}
