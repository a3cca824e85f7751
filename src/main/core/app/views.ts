import type { LogLine, MetricsSnapshot, ServerStats, ServerView, TrafficFrame } from '../../../shared/app-api.js';
import type { ServerDefinition } from '../../../shared/server-definition.js';
import { MASK } from '../config/secrets.js';
import type { ManagedServer } from '../server/managed-server.js';
import type { StoredFrame, StoredLog } from '../store/index.js';
import type { EngineLogRecord } from '../telemetry/engine-log.js';
import type { MetricsSnapshot as TelemetrySnapshot, ServerSnapshot } from '../telemetry/metrics-snapshot.js';
import type { TrafficRow } from '../telemetry/traffic-row.js';

/** Pure mappings from engine and telemetry shapes to the AppApi's plain JSON. */

/** Secret env values never leave the engine: the page sees a mask, and a mask sent back means "unchanged". */
export function maskDefinition(def: ServerDefinition): ServerDefinition {
  const env = { ...def.env };
  for (const key of def.secretEnvKeys) if (key in env) env[key] = MASK;
  return { ...def, env };
}

export function unmaskEnv(env: Record<string, string>, previous: Record<string, string> | undefined) {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) out[key] = value === MASK && previous?.[key] ? previous[key] : value;
  return out;
}

const emptyStats: ServerStats = {
  uptimeSeconds: 0,
  restarts: 0,
  sessions: 0,
  inflight: 0,
  requestsPerSecond: 0,
  errors: 0,
  latencyMs: null,
  cpuPercent: null,
  rssBytes: null,
};

export function statsOf(snapshot: ServerSnapshot | undefined, sessions: number): ServerStats {
  if (!snapshot) return { ...emptyStats, sessions };
  const { p50, p90, p99 } = snapshot.latencyMs ?? { p50: 0, p90: 0, p99: 0 };
  return {
    uptimeSeconds: snapshot.uptimeSeconds ?? 0,
    restarts: snapshot.restarts,
    sessions,
    inflight: snapshot.inflight,
    requestsPerSecond: snapshot.rps,
    errors: snapshot.errors,
    latencyMs: snapshot.latencyMs ? { p50, p90, p99 } : null,
    cpuPercent: snapshot.cpuPercent,
    rssBytes: snapshot.rssBytes,
  };
}

export function serverView(server: ManagedServer, snapshot: ServerSnapshot | undefined, baseUrl: string): ServerView {
  const { state, reason, at, stderrTail } = server.state;
  const name = encodeURIComponent(server.name);
  const info = server.router.serverInitialize?.serverInfo as ServerView['serverInfo'] | undefined;
  return {
    definition: maskDefinition(server.definition),
    status: { state, reason, since: at, pid: server.pid, ...(stderrTail ? { stderrTail } : {}) },
    stats: statsOf(snapshot, server.sessionCount),
    endpoints: { streamableHttp: `${baseUrl}/servers/${name}/mcp`, sse: `${baseUrl}/servers/${name}/sse` },
    serverInfo: info ? { name: info.name, version: info.version, title: info.title } : null,
    ...(server.sharingDecision ? { sharingDecision: server.sharingDecision } : {}),
  };
}

export function metricsView(snapshot: TelemetrySnapshot, sessionsOf: (name: string) => number): MetricsSnapshot {
  return {
    time: snapshot.time,
    servers: Object.fromEntries(
      snapshot.servers.map((s) => [
        s.name,
        { ...statsOf(s, sessionsOf(s.name)), state: s.state === 'unknown' ? 'stopped' : s.state },
      ]),
    ),
    sessions: snapshot.sessions.map((s) => ({
      server: s.server,
      session: s.id,
      clientName: s.clientName ?? undefined,
      messages: s.messages.toServer + s.messages.fromServer,
      errors: s.errors,
    })),
  };
}

export function logLine(r: EngineLogRecord): LogLine {
  return {
    time: r.time,
    level: r.level,
    source: r.source,
    ...(r.server ? { server: r.server } : {}),
    ...(r.stream === 'stderr' ? { stderr: true } : {}),
    message: r.message,
    ...(r.fields ? { fields: r.fields } : {}),
  };
}

export function trafficFrame(r: TrafficRow): TrafficFrame {
  return {
    seq: r.seq,
    time: r.time,
    direction: r.direction,
    server: r.server,
    session: r.session,
    ...(r.clientName ? { clientName: r.clientName } : {}),
    kind: r.kind,
    ...(r.method ? { method: r.method } : {}),
    clientId: r.id,
    ...(r.isError ? { isError: true } : {}),
    ...(r.latencyMs !== null ? { latencyMs: r.latencyMs } : {}),
    size: r.size,
    ...(r.pairKey !== null ? { pairKey: String(r.pairKey) } : {}),
    payload: r.payload,
    ...(r.truncated ? { truncated: true } : {}),
  };
}

/** A line from an earlier run, read back from the store. */
export function storedLogLine(r: StoredLog): LogLine {
  const stream = r.source.endsWith(':stderr') ? 'stderr' : 'engine';
  return logLine({ ...r, seq: -r.id, stream, fields: r.fields ?? undefined });
}

/**
 * A stored frame as the recorder's row: a negative `seq` keeps it apart from this run's live frames; unpaired;
 * truncated when the store kept less than it saw.
 */
export function storedRow(r: StoredFrame): TrafficRow {
  const { id, clientId, ...rest } = r;
  return { ...rest, seq: -id, id: clientId, pairKey: null, truncated: r.payload.length < r.size };
}
