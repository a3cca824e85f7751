import type { Result } from '../../../shared/index.js';
import {
  parseServerDefinition,
  type ServerDefinition,
  type ServerDefinitionInput,
} from '../../../shared/server-definition.js';
import { Listeners } from '../util/listeners.js';
import type { SqliteDatabase } from './database.js';

export interface StoredServer extends ServerDefinition {
  createdAt: number;
  updatedAt: number;
}

export type ServerChange =
  | { type: 'added'; server: StoredServer }
  | { type: 'updated'; server: StoredServer; previousName: string }
  | { type: 'removed'; name: string };

export type RegistryErrorKind = 'invalid' | 'duplicate' | 'not_found' | 'storage';

interface ServerRow {
  name: string;
  command: string;
  args: string;
  env: string;
  secret_env_keys: string;
  cwd: string | null;
  enabled: number;
  autostart: number;
  options: string;
  created_at: number;
  updated_at: number;
}

function fromRow(r: ServerRow): StoredServer {
  return {
    name: r.name,
    command: r.command,
    args: JSON.parse(r.args) as string[],
    env: JSON.parse(r.env) as Record<string, string>,
    secretEnvKeys: JSON.parse(r.secret_env_keys) as string[],
    ...(r.cwd === null ? {} : { cwd: r.cwd }),
    enabled: r.enabled === 1,
    autostart: r.autostart === 1,
    options: JSON.parse(r.options) as ServerDefinition['options'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toParams(d: ServerDefinition): unknown[] {
  return [
    d.name,
    d.command,
    JSON.stringify(d.args),
    JSON.stringify(d.env),
    JSON.stringify(d.secretEnvKeys),
    d.cwd ?? null,
    d.enabled ? 1 : 0,
    d.autostart ? 1 : 0,
    JSON.stringify(d.options),
  ];
}

function definitionOf(server: StoredServer): ServerDefinition {
  const { createdAt: _c, updatedAt: _u, ...definition } = server;
  return definition;
}

/**
 * The server registry. Every write validates the whole definition with the shared schema, so the engine and the
 * dashboard accept and refuse the same things with the same words. Names are unique ignoring case.
 */
export class ServerRepository {
  private readonly changeListeners = new Listeners<ServerChange>();
  /** Registry changes, for the engine to start, stop or restart servers. */
  readonly changes: Pick<Listeners<ServerChange>, 'on'> = this.changeListeners;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  list(): StoredServer[] {
    return (this.db.prepare('SELECT * FROM servers ORDER BY name').all() as ServerRow[]).map(fromRow);
  }

  get(name: string): StoredServer | undefined {
    const row = this.db.prepare('SELECT * FROM servers WHERE name = ?').get(name) as ServerRow | undefined;
    return row && fromRow(row);
  }

  add(input: unknown): Result<StoredServer, RegistryErrorKind> {
    const parsed = parseServerDefinition(input);
    if (!parsed.ok) return parsed;
    const now = this.now();
    const written = this.write(parsed.value.name, () =>
      this.db
        .prepare(
          `INSERT INTO servers (name, command, args, env, secret_env_keys, cwd, enabled, autostart, options, created_at,
            updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...toParams(parsed.value), now, now),
    );
    if (!written.ok) return written;
    const server = this.get(parsed.value.name)!;
    this.changeListeners.emit({ type: 'added', server });
    return { ok: true, value: server };
  }

  /**
   * Changes some fields of `name` (a new `name` renames it). `options` is merged one level deep: a patch of
   * `{ options: { restart: {...} } }` replaces the restart block and keeps the other options.
   */
  update(name: string, patch: Partial<ServerDefinitionInput>): Result<StoredServer, RegistryErrorKind> {
    const current = this.get(name);
    if (!current) return this.notFound(name);
    if (typeof patch !== 'object' || patch === null) {
      return { ok: false, kind: 'invalid', message: 'an update must be an object of the fields to change' };
    }
    const base = definitionOf(current);
    const merged = { ...base, ...patch, options: { ...base.options, ...(patch.options ?? {}) } };
    const parsed = parseServerDefinition(merged);
    if (!parsed.ok) return parsed;
    const written = this.write(parsed.value.name, () =>
      this.db
        .prepare(
          `UPDATE servers SET name = ?, command = ?, args = ?, env = ?, secret_env_keys = ?, cwd = ?, enabled = ?,
            autostart = ?, options = ?, updated_at = ? WHERE name = ?`,
        )
        .run(...toParams(parsed.value), this.now(), current.name),
    );
    if (!written.ok) return written;
    const server = this.get(parsed.value.name)!;
    this.changeListeners.emit({ type: 'updated', server, previousName: current.name });
    return { ok: true, value: server };
  }

  /** Adds the server, or replaces the definition of the one with its name (for `serve --config` refreshes). */
  upsert(input: unknown): Result<StoredServer, RegistryErrorKind> {
    const parsed = parseServerDefinition(input);
    if (!parsed.ok) return parsed;
    const current = this.get(parsed.value.name);
    if (!current) return this.add(parsed.value);
    return this.update(current.name, parsed.value);
  }

  remove(name: string): Result<void, RegistryErrorKind> {
    const current = this.get(name);
    if (!current) return this.notFound(name);
    const written = this.write(name, () => this.db.prepare('DELETE FROM servers WHERE name = ?').run(current.name));
    if (!written.ok) return written;
    this.changeListeners.emit({ type: 'removed', name: current.name });
    return { ok: true, value: undefined };
  }

  enable(name: string): Result<StoredServer, RegistryErrorKind> {
    return this.update(name, { enabled: true });
  }

  disable(name: string): Result<StoredServer, RegistryErrorKind> {
    return this.update(name, { enabled: false });
  }

  private write(name: string, run: () => unknown): Result<void, RegistryErrorKind> {
    try {
      run();
      return { ok: true, value: undefined };
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? '');
      if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
        return {
          ok: false,
          kind: 'duplicate',
          message: `a server named "${name}" already exists (names ignore case); choose another name or update that server`,
        };
      }
      return { ok: false, kind: 'storage', message: `server "${name}" was not saved: ${(err as Error).message}` };
    }
  }

  private notFound(name: string): Result<never, RegistryErrorKind> {
    const names = this.list().map((s) => s.name);
    const known = names.length
      ? `the registry has: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`
      : 'the registry is empty';
    return { ok: false, kind: 'not_found', message: `no server named "${name}"; ${known}` };
  }
}
