/** One served server as the engine sees it, polled every sampling interval. */
export interface ServerProcess {
  server: string;
  /** Its live children's pids, each a process group leader (`ManagedServer.pids`); empty while not running. */
  pids: readonly number[];
  /** The router's own count; when given it replaces the count derived from frames, which can drift. */
  inflight?: number;
}

export interface MetricsOptions {
  processes?: () => Iterable<ServerProcess>;
  /** CPU, memory and requests-per-second sampling; 2 s by default. */
  sampleIntervalMs?: number;
  /** Sessions with their own Prometheus series; the rest are summed under session="other". */
  maxSessionSeries?: number;
  maxMethodsPerServer?: number;
  /** A safety net should session ends not be reported: sessions silent this long are dropped. */
  sessionIdleMs?: number;
  /** Also export the engine process's own Node metrics (switchboard_engine_*). */
  engineProcessMetrics?: boolean;
  /**
   * The server a frame's router name belongs to. By default `name#n` (a per-session server's instance) counts
   * as `name`: one series per registered server, not one per session's child.
   */
  serverOf?: (routerName: string) => string;
}

/** `#` cannot occur in a registered server's name (they are URL-safe), only in instance labels. */
export const defaultServerOf = (name: string): string => {
  const hash = name.indexOf('#');
  return hash < 0 ? name : name.slice(0, hash);
};

export const metricsDefaults = {
  sampleIntervalMs: 2000,
  maxSessionSeries: 200,
  maxMethodsPerServer: 100,
  sessionIdleMs: 3_600_000,
  engineProcessMetrics: false,
  serverOf: defaultServerOf,
} satisfies Required<Omit<MetricsOptions, 'processes'>>;
