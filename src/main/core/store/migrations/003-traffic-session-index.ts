import type { Migration } from '../migrator.js';

/**
 * Speed (issue 15): the index on `traffic.session` cost more than every other index together. Session ids are
 * random UUIDs, so each insert landed on a random page of it: 2.2 of 5.4 µs of CPU per stored frame
 * (npm run bench, docs/benchmarks.md). Reading by session scans by id, newest first, as every traffic query
 * already orders: a session's frames are the recent ones the dashboard asks for, and a session filter on old
 * history reads at most `maxTrafficRows` rows.
 */
export const dropTrafficSessionIndex: Migration = {
  id: 3,
  name: 'drop-traffic-session-index',
  up(db) {
    db.exec('DROP INDEX IF EXISTS traffic_session');
  },
};
