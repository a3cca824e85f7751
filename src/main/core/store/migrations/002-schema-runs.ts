import type { Migration } from '../migrator.js';

/**
 * The developer's loop (issue 13): one row per start of a server, with everything it listed (tools, resources,
 * templates, prompts) and what changed since the run before, so the diff history survives restarts of
 * Switchboard. JSON columns: the app reads them whole. Kept per server by count, not age: the last runs matter.
 */
export const schemaRuns: Migration = {
  id: 2,
  name: 'schema-runs',
  up(db) {
    db.exec(`
      CREATE TABLE schema_runs (
        id INTEGER PRIMARY KEY,
        server TEXT NOT NULL,
        time INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        changes TEXT NOT NULL DEFAULT '[]',
        first INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX schema_runs_server ON schema_runs (server, id);
    `);
  },
};
