import type { LogLine, LogQuery, TrafficFrame, TrafficQuery } from '../../../shared/app-api.js';
import type { Store, StoredFrame, StoredLog } from '../store/index.js';
import type { TelemetryHub } from './telemetry-hub.js';
import type { TrafficRow } from '../telemetry/traffic-row.js';
import { logLine, storedLogLine, storedRow, trafficFrame } from './views.js';

/**
 * The dashboard's log and traffic history: the telemetry hub keeps the recent rows in memory, the store (when
 * there is one) everything older. A query reads memory first and tops up from the store, oldest first.
 */

/** Where the history lives: the running hub, and the store when the host has one. */
export interface HistorySources {
  telemetry: Pick<TelemetryHub, 'traffic' | 'logs'>;
  store: Store | null;
}

/** Recent lines from memory; older ones (and everything after a restart) from the store. */
export function queryLogs({ telemetry, store }: HistorySources, q: LogQuery): LogLine[] {
  const limit = Math.min(q.limit ?? 1000, 10_000);
  const recent = telemetry.logs
    .query({ server: q.server, level: q.level, text: q.text, sinceTime: q.sinceTime, limit })
    .filter((r) => q.untilTime === undefined || r.time <= q.untilTime)
    .map(logLine);
  if (!store || recent.length >= limit) return recent;
  const filter = { server: q.server, minLevel: q.level, text: q.text, since: q.sinceTime };
  const oldest = recent[0]?.time;
  const until = Math.min(oldest ?? Infinity, q.untilTime ?? Infinity);
  // As for traffic: lines of memory's oldest millisecond that memory let go of come from the store. Not with a
  // text filter, which memory and the store apply differently (memory also searches the source, and folds case
  // beyond ASCII), so their counts of that millisecond need not agree.
  let boundary: StoredLog[] = [];
  if (oldest !== undefined && !q.text) {
    const inMemory = recent.filter((l) => l.time === oldest).length;
    const since = Math.max(oldest, q.sinceTime ?? oldest);
    const sameMs = store.logs.query({ ...filter, since, until: oldest + 1, limit: inMemory + limit });
    boundary = sameMs.rows.slice(inMemory, inMemory + limit - recent.length);
  }
  const room = limit - recent.length - boundary.length;
  const older =
    room > 0 ? store.logs.query({ ...filter, ...(Number.isFinite(until) ? { until } : {}), limit: room }).rows : [];
  return [...older.reverse().map(storedLogLine), ...boundary.reverse().map(storedLogLine), ...recent];
}

/** Recent frames from memory; older ones from the store, like the logs. At most 10,000. */
export function queryTraffic(sources: HistorySources, q: TrafficQuery): TrafficFrame[] {
  return trafficRows(sources, q).map(trafficFrame);
}

/**
 * The frames `queryTraffic` returns (client included), redacted, one JSON object per line in the recorder's row
 * shape, oldest first: at most `limit`, by default and at most 10,000. Frames from the store come too, so an export
 * after a restart holds what the Traffic tab shows.
 */
export function exportTraffic(sources: HistorySources, q: TrafficQuery): { jsonl: string } {
  const rows = trafficRows(sources, { ...q, limit: q.limit ?? 10_000 });
  return { jsonl: rows.map((r) => JSON.stringify(r) + '\n').join('') };
}

function trafficRows({ telemetry, store }: HistorySources, q: TrafficQuery): TrafficRow[] {
  const limit = Math.min(q.limit ?? 1000, 10_000);
  const recent = telemetry.traffic
    .query({
      server: q.server,
      session: q.session,
      method: q.method,
      errorsOnly: q.errorsOnly,
      sinceTime: q.sinceTime,
      limit,
    })
    .filter((r) => !q.clientName || r.clientName === q.clientName);
  if (!store || recent.length >= limit) return recent;
  const filter = {
    server: q.server,
    session: q.session,
    client: q.clientName,
    method: q.method,
    errorsOnly: q.errorsOnly,
    since: q.sinceTime,
  };
  const until = recent[0]?.time;
  // Memory may have let go of some frames of its oldest millisecond: the store has every frame of that millisecond,
  // in order, and its newest ones are the frames memory still holds. (A store running behind can only make this
  // show fewer, never twice the same.)
  let boundary: StoredFrame[] = [];
  if (until !== undefined) {
    const inMemory = recent.filter((f) => f.time === until).length;
    const since = Math.max(until, q.sinceTime ?? until);
    const sameMs = store.traffic.query({ ...filter, since, until: until + 1, limit: inMemory + limit });
    boundary = sameMs.rows.slice(inMemory, inMemory + limit - recent.length);
  }
  const room = limit - recent.length - boundary.length;
  const older =
    room > 0 ? store.traffic.query({ ...filter, ...(until !== undefined ? { until } : {}), limit: room }).rows : [];
  return [...older.reverse().map(storedRow), ...boundary.reverse().map(storedRow), ...recent];
}
