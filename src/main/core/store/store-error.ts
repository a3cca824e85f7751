/** What went wrong with the database, for callers that branch on it; `message` is for the person. */
export type StoreErrorKind = 'cannot_open' | 'corrupt' | 'newer_schema' | 'migration_failed';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** Why a batch of rows could not be written. Transient kinds are retried; the rest drop the batch. */
export type WriteFailureKind = 'locked' | 'disk_full' | 'io' | 'readonly' | 'corrupt' | 'bad_rows' | 'writer_down';

export interface WriteFailure {
  kind: WriteFailureKind;
  message: string;
  transient: boolean;
}

/** Maps a better-sqlite3 error (`code` like SQLITE_BUSY_SNAPSHOT) to what it means for the writer. */
export function classifyWriteError(err: unknown, file: string): WriteFailure {
  const code = String((err as { code?: unknown })?.code ?? '');
  const detail = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return {
      kind: 'locked',
      transient: true,
      message: `${file} is locked by another connection (${code}); logs and traffic are held in memory and written when it is free. Close other programs using the file (a second Switchboard, a SQLite browser).`,
    };
  }
  if (code === 'SQLITE_FULL' || /ENOSPC|disk is full/i.test(detail)) {
    return {
      kind: 'disk_full',
      transient: true,
      message: `cannot save logs and traffic: the disk holding ${file} is full or the database reached its size limit (${detail}). Free disk space or lower the retention limits.`,
    };
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return {
      kind: 'readonly',
      transient: true,
      message: `cannot save logs and traffic: ${file} is read-only (${code}). Check the permissions of the data folder.`,
    };
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    return { kind: 'io', transient: true, message: `cannot write ${file}: ${detail} (${code}). Check the disk.` };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return {
      kind: 'corrupt',
      transient: false,
      message: `${file} became corrupt while running (${detail}); new logs are not saved. Restart Switchboard: it moves the file aside and starts a fresh one.`,
    };
  }
  return { kind: 'bad_rows', transient: false, message: `a batch of rows could not be written to ${file}: ${detail}` };
}
