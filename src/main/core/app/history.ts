import type { LogLine, LogQuery, TrafficFrame, TrafficQuery } from '../../../shared/app-api.js';
import type { Store } from '../store/index.js';
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
  const filter = { server: q.server, minLevel: q.level, text: q.text };
  const older = olderFromStore(
    recent,
    limit - recent.length,
    { since: q.sinceTime, until: q.untilTime },
    (r) => store.logs.query({ ...filter, ...r }).rows,
  );
  return [...older.map(storedLogLine), ...recent];
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
  };
  const older = olderFromStore(
    recent,
    limit - recent.length,
    { since: q.sinceTime },
    (r) => store.traffic.query({ ...filter, ...r }).rows,
  );
  return [...older.map(storedRow), ...recent];
}

/** A store query over a time range: `since` inclusive, `until` exclusive, rows newest first. */
type RangeQuery<R> = (range: { since?: number; until?: number; limit: number }) => R[];

/**
 * The `room` stored rows just older than `recent` (what memory holds, oldest first), oldest first. Memory may
 * have let go of some rows of its oldest millisecond: the store has every row of that millisecond, in order, and
 * its newest ones are the rows memory still holds, so the rest come from there. This needs memory and the store to
 * apply a filter alike (log text included: both fold case with toLowerCase and search message and source). A
 * store running behind can only make this fewer rows, never repeat one. `range.until` is inclusive, as the
 * dashboard's queries give it.
 */
function olderFromStore<R>(
  recent: ReadonlyArray<{ time: number }>,
  room: number,
  range: { since?: number; until?: number },
  query: RangeQuery<R>,
): R[] {
  const oldest = recent[0]?.time;
  let sameMs: R[] = [];
  if (oldest !== undefined) {
    const inMemory = recent.filter((r) => r.time === oldest).length;
    const since = Math.max(oldest, range.since ?? oldest);
    sameMs = query({ since, until: oldest + 1, limit: inMemory + room }).slice(inMemory, inMemory + room);
  }
  const left = room - sameMs.length;
  const until = Math.min(oldest ?? Infinity, range.until === undefined ? Infinity : range.until + 1);
  const older =
    left > 0 ? query({ since: range.since, ...(Number.isFinite(until) ? { until } : {}), limit: left }) : [];
  return [...older.reverse(), ...sameMs.reverse()];
}
