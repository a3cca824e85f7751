import type { Migration } from '../migrator.js';

/**
 * The first schema. JSON columns hold what the app reads whole (args, env, options, log fields). `id` is the
 * rowid: rows arrive in time order, so id order is time order, which cursors and count-based retention use.
 * Indexes serve the dashboard's queries (newest first, by server / session / errors) and age-based pruning.
 */
export const init: Migration = {
  id: 1,
  name: 'init',
  up(db) {
    db.exec(`
      CREATE TABLE servers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        command TEXT NOT NULL,
        args TEXT NOT NULL DEFAULT '[]',
        env TEXT NOT NULL DEFAULT '{}',
        secret_env_keys TEXT NOT NULL DEFAULT '[]',
        cwd TEXT,
        enabled INTEGER NOT NULL DEFAULT 1,
        autostart INTEGER NOT NULL DEFAULT 1,
        options TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE logs (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        level TEXT NOT NULL,
        source TEXT NOT NULL,
        server TEXT,
        message TEXT NOT NULL,
        fields TEXT
      );
      CREATE INDEX logs_time ON logs (time);
      CREATE INDEX logs_server ON logs (server) WHERE server IS NOT NULL;

      CREATE TABLE traffic (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        server TEXT NOT NULL,
        session TEXT,
        client_name TEXT,
        direction TEXT NOT NULL,
        kind TEXT NOT NULL,
        method TEXT,
        client_id,
        is_error INTEGER NOT NULL DEFAULT 0,
        latency_ms REAL,
        size INTEGER NOT NULL,
        payload TEXT
      );
      CREATE INDEX traffic_time ON traffic (time);
      CREATE INDEX traffic_server ON traffic (server);
      CREATE INDEX traffic_session ON traffic (session) WHERE session IS NOT NULL;
      CREATE INDEX traffic_errors ON traffic (server) WHERE is_error = 1;
    `);
  },
};
