import type { Result } from '../../../shared/index.js';
import type { SqliteDatabase } from './database.js';

/**
 * Stored settings: one JSON value per key. This is the "stored" layer of defaults < stored < environment < flags;
 * the settings module that merges the layers owns the keys and their validation.
 */
export class SettingsRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  get<T = unknown>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Stores `value` as JSON; `undefined` removes the key. */
  set(key: string, value: unknown): Result<void, 'invalid' | 'storage'> {
    if (value === undefined) return this.delete(key);
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      return {
        ok: false,
        kind: 'invalid',
        message: `setting "${key}" cannot be stored as JSON: ${(err as Error).message}`,
      };
    }
    if (json === undefined) return { ok: false, kind: 'invalid', message: `setting "${key}" has no JSON form` };
    return this.run(key, () =>
      this.db
        .prepare(
          'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
        )
        .run(key, json, this.now()),
    );
  }

  delete(key: string): Result<void, 'storage'> {
    return this.run(key, () => this.db.prepare('DELETE FROM settings WHERE key = ?').run(key));
  }

  all(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings ORDER BY key').all() as Array<{
      key: string;
      value: string;
    }>;
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  private run(key: string, write: () => unknown): Result<void, 'storage'> {
    try {
      write();
      return { ok: true, value: undefined };
    } catch (err) {
      return { ok: false, kind: 'storage', message: `setting "${key}" was not saved: ${(err as Error).message}` };
    }
  }
}
