import type { Migration } from '../migrator.js';
import { init } from './001-init.js';
import { schemaRuns } from './002-schema-runs.js';
import { dropTrafficSessionIndex } from './003-traffic-session-index.js';

/** Every migration, in order. Add new ones at the end with the next id. */
export const migrations: readonly Migration[] = [init, schemaRuns, dropTrafficSessionIndex];
