import type { Migration } from '../migrator.js';
import { init } from './001-init.js';

/** Every migration, in order. Add new ones at the end with the next id. */
export const migrations: readonly Migration[] = [init];
