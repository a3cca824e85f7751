import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MetricsSnapshot } from '../../../shared/app-api.js';

/** How far back the charts look. */
export const METRICS_WINDOW_MS = 5 * 60_000;
const MAX_SNAPSHOTS = 3000;

export interface MetricsState {
  /** Oldest first, at most `METRICS_WINDOW_MS` old and `MAX_SNAPSHOTS` long. */
  history: MetricsSnapshot[];
  ingest(snapshot: MetricsSnapshot): void;
}

export type MetricsStore = StoreApi<MetricsState>;

export function createMetricsStore(): MetricsStore {
  return createStore<MetricsState>()((set, get) => ({
    history: [],
    ingest(snapshot) {
      const { history } = get();
      const last = history.at(-1);
      if (last && snapshot.time <= last.time) return;
      const cutoff = snapshot.time - METRICS_WINDOW_MS;
      let from = 0;
      while (from < history.length && history[from]!.time < cutoff) from++;
      from = Math.max(from, history.length + 1 - MAX_SNAPSHOTS);
      set({ history: [...history.slice(from), snapshot] });
    },
  }));
}

export interface ServerSeries {
  /** Seconds since the epoch, as uPlot wants. */
  time: number[];
  requestsPerSecond: Array<number | null>;
  p50: Array<number | null>;
  p90: Array<number | null>;
  p99: Array<number | null>;
  /** Errors per second between two snapshots (the engine counts errors cumulatively). */
  errorsPerSecond: Array<number | null>;
}

/** One server's series from the snapshot history. Pure. */
export function seriesFor(history: readonly MetricsSnapshot[], server: string): ServerSeries {
  const out: ServerSeries = { time: [], requestsPerSecond: [], p50: [], p90: [], p99: [], errorsPerSecond: [] };
  let previous: { time: number; errors: number } | null = null;
  for (const snapshot of history) {
    const stats = snapshot.servers[server];
    out.time.push(snapshot.time / 1000);
    out.requestsPerSecond.push(stats ? stats.requestsPerSecond : null);
    out.p50.push(stats?.latencyMs?.p50 ?? null);
    out.p90.push(stats?.latencyMs?.p90 ?? null);
    out.p99.push(stats?.latencyMs?.p99 ?? null);
    if (stats && previous && snapshot.time > previous.time) {
      const delta = Math.max(0, stats.errors - previous.errors);
      out.errorsPerSecond.push(delta / ((snapshot.time - previous.time) / 1000));
    } else out.errorsPerSecond.push(stats ? 0 : null);
    previous = stats ? { time: snapshot.time, errors: stats.errors } : null;
  }
  return out;
}
