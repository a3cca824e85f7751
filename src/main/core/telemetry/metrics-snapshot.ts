import type { ServerState } from '../supervisor/server-supervisor.js';
import type { ServerStats, SessionStats, TrafficCounts } from './stats.js';

/** Plain JSON for the dashboard: one object per server and per live session. */
export interface MetricsSnapshot {
  time: number;
  servers: ServerSnapshot[];
  sessions: SessionSnapshot[];
}

export interface DirectionCounts {
  toServer: number;
  fromServer: number;
}

export interface ServerSnapshot {
  name: string;
  state: ServerState | 'unknown';
  /** Its children's pids: one for a shared server, one per session for a per-session server. */
  pids: number[];
  uptimeSeconds: number | null;
  restarts: number;
  requests: number;
  errors: number;
  inflight: number;
  /** Requests per second over the last sampling interval. */
  rps: number;
  /** Over the last minute; null when no response came back in it. */
  latencyMs: { p50: number; p90: number; p99: number; count: number } | null;
  messages: DirectionCounts;
  bytes: DirectionCounts;
  /** Of the whole process group; may exceed 100 on several cores. Null when not sampled (yet, or not Linux). */
  cpuPercent: number | null;
  rssBytes: number | null;
  methods: Array<{ method: string; requests: number; errors: number }>;
}

export interface SessionSnapshot {
  id: string;
  server: string;
  clientName: string | null;
  messages: DirectionCounts;
  bytes: DirectionCounts;
  errors: number;
  lastSeen: number;
}

const messagesOf = (c: TrafficCounts): DirectionCounts => ({ toServer: c.messagesUp, fromServer: c.messagesDown });
const bytesOf = (c: TrafficCounts): DirectionCounts => ({ toServer: c.bytesUp, fromServer: c.bytesDown });

/** The window's buckets are ±4.5 % wide: more digits than three would be noise. */
const round = (ms: number) => Number(ms.toPrecision(3));

export function serverSnapshot(s: ServerStats, now: number): ServerSnapshot {
  const pct = s.latency.percentiles([0.5, 0.9, 0.99], now);
  return {
    name: s.name,
    state: s.state,
    pids: s.pids,
    uptimeSeconds: s.uptimeSeconds(now),
    restarts: s.restarts,
    requests: s.requests,
    errors: s.errors,
    inflight: s.inflight,
    rps: s.rps,
    latencyMs: pct && { p50: round(pct[0]), p90: round(pct[1]), p99: round(pct[2]), count: s.latency.count(now) },
    messages: messagesOf(s),
    bytes: bytesOf(s),
    cpuPercent: s.cpuPercent,
    rssBytes: s.rssBytes,
    methods: [...s.methods.values()].map((m) => ({ method: m.labels.method, requests: m.requests, errors: m.errors })),
  };
}

export function sessionSnapshot(s: SessionStats): SessionSnapshot {
  return {
    id: s.id,
    server: s.server.name,
    clientName: s.clientName ?? null,
    messages: messagesOf(s),
    bytes: bytesOf(s),
    errors: s.errors,
    lastSeen: s.lastSeen,
  };
}
