import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { ServerState } from '../supervisor/server-supervisor.js';
import { LatencyMetric } from './latency-metric.js';
import { OTHER, TrafficCounts, type ServerStats, type SessionStats } from './stats.js';

export { LATENCY_BUCKETS_SECONDS } from './stats.js';

type Dir = 'server' | 'direction';

const STATES: ReadonlyArray<ServerState> = [
  'stopped',
  'starting',
  'installing',
  'running',
  'degraded',
  'stopping',
  'backoff',
  'failed',
];

/**
 * The Prometheus face of the metrics, on a private registry so two engines in one process never clash. Counters,
 * gauges and the latency histogram are written from the plain stats at scrape time (`publish`): the hot path
 * only bumps fields. Names are documented in docs/metrics.md.
 */
export class PrometheusExporter {
  readonly registry = new Registry();
  private readonly latency = new LatencyMetric(
    'switchboard_request_duration_seconds',
    'Time from a request going to the server until its response came back, by method.',
  );
  private readonly requests: Counter<'server' | 'method'>;
  private readonly errors: Counter<'server' | 'method'>;
  private readonly messages: Counter<Dir>;
  private readonly bytes: Counter<Dir>;
  private readonly inflight: Gauge<'server'>;
  private readonly up: Gauge<'server'>;
  private readonly state: Gauge<'server' | 'state'>;
  private readonly uptime: Gauge<'server'>;
  private readonly restarts: Counter<'server'>;
  private readonly cpu: Counter<'server'>;
  private readonly rss: Gauge<'server'>;
  private readonly sessions: Gauge<'server'>;
  private readonly sessionMessages: Counter<'server' | 'session' | 'direction'>;
  private readonly sessionBytes: Counter<'server' | 'session' | 'direction'>;
  private readonly sessionErrors: Counter<'server' | 'session'>;

  constructor(options: { engineProcessMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const counter = <T extends string>(name: string, help: string, labelNames: T[]) =>
      new Counter<T>({ name: `switchboard_${name}`, help, labelNames, registers });
    const gauge = <T extends string>(name: string, help: string, labelNames: T[]) =>
      new Gauge<T>({ name: `switchboard_${name}`, help, labelNames, registers });
    // prom-client's Registry reads any metric through get(); its Metric type lists only its own classes.
    this.registry.registerMetric(this.latency as unknown as Metric);
    this.requests = counter('requests_total', 'Requests sent to the server, by method.', ['server', 'method']);
    this.errors = counter('request_errors_total', 'Responses from the server carrying an error, by method.', [
      'server',
      'method',
    ]);
    const dir = 'direction is to_server or from_server';
    this.messages = counter('messages_total', `JSON-RPC messages to and from the server; ${dir}.`, [
      'server',
      'direction',
    ]);
    this.bytes = counter('bytes_total', `Size of those messages (UTF-16 units; bytes for ASCII); ${dir}.`, [
      'server',
      'direction',
    ]);
    this.inflight = gauge('inflight_requests', 'Requests sent to the server and not yet answered.', ['server']);
    this.up = gauge('server_up', '1 while the server is up (running or degraded), else 0.', ['server']);
    this.state = gauge('server_state', "The server's state: 1 on the series of the current one.", ['server', 'state']);
    this.uptime = gauge('server_uptime_seconds', 'Seconds since the server last became running.', ['server']);
    this.restarts = counter('server_restarts_total', 'Automatic restarts after the server exited or failed.', [
      'server',
    ]);
    this.cpu = counter('server_cpu_seconds_total', "CPU time of the server's process group.", ['server']);
    this.rss = gauge('server_resident_memory_bytes', "Resident memory of the server's process group.", ['server']);
    this.sessions = gauge('sessions', 'Client sessions that sent or received traffic and have not closed.', ['server']);
    const capped = 'sessions past the series cap are summed under session="other"';
    this.sessionMessages = counter('session_messages_total', `Messages per client session; ${capped}.`, [
      'server',
      'session',
      'direction',
    ]);
    this.sessionBytes = counter('session_bytes_total', `Message size per client session; ${capped}.`, [
      'server',
      'session',
      'direction',
    ]);
    this.sessionErrors = counter('session_errors_total', `Error responses per client session; ${capped}.`, [
      'server',
      'session',
    ]);
    // Off by default: they install process-wide observers that cannot be removed again.
    if (options.engineProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_engine_' });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Writes every counter, gauge and histogram from the stats; series of closed sessions and removed servers go. */
  publish(servers: Iterable<ServerStats>, sessions: Iterable<SessionStats>, now: number): void {
    for (const m of [this.requests, this.errors, this.messages, this.bytes, this.restarts, this.cpu]) m.reset();
    for (const m of [this.inflight, this.up, this.uptime, this.rss, this.sessions, this.state]) m.reset();
    for (const m of [this.sessionMessages, this.sessionBytes, this.sessionErrors]) m.reset();
    this.latency.methods = [];
    const live = new Map<ServerStats, { count: number; other: TrafficCounts | null }>();
    for (const s of servers) {
      const server = { server: s.name };
      for (const m of s.methods.values()) {
        this.requests.inc(m.labels, m.requests);
        this.errors.inc(m.labels, m.errors);
        this.latency.methods.push(m);
      }
      this.traffic(this.messages, this.bytes, server, s);
      this.inflight.set(server, s.inflight);
      this.up.set(server, s.isUp ? 1 : 0);
      for (const state of STATES) this.state.set({ server: s.name, state }, s.state === state ? 1 : 0);
      this.uptime.set(server, s.uptimeSeconds(now) ?? 0);
      this.restarts.inc(server, s.restarts);
      this.cpu.inc(server, s.cpuSecondsTotal);
      if (s.rssBytes !== null) this.rss.set(server, s.rssBytes);
      const folded = s.otherClosed.messagesUp + s.otherClosed.messagesDown > 0 ? new TrafficCounts() : null;
      folded?.add(s.otherClosed);
      live.set(s, { count: 0, other: folded });
    }
    for (const session of sessions) {
      const entry = live.get(session.server);
      if (!entry) continue;
      entry.count++;
      if (!session.ownSeries) {
        entry.other ??= new TrafficCounts();
        entry.other.add(session);
        continue;
      }
      this.sessionSeries({ server: session.server.name, session: session.id }, session);
    }
    for (const [s, { count, other }] of live) {
      this.sessions.set({ server: s.name }, count);
      if (other) this.sessionSeries({ server: s.name, session: OTHER }, other);
    }
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  private sessionSeries(labels: { server: string; session: string }, counts: TrafficCounts): void {
    this.traffic(this.sessionMessages, this.sessionBytes, labels, counts);
    this.sessionErrors.inc(labels, counts.errors);
  }

  private traffic<L extends { server: string }>(
    messages: Counter<string>,
    bytes: Counter<string>,
    labels: L,
    c: TrafficCounts,
  ): void {
    const to = { ...labels, direction: 'to_server' };
    const from = { ...labels, direction: 'from_server' };
    messages.inc(to, c.messagesUp);
    messages.inc(from, c.messagesDown);
    bytes.inc(to, c.bytesUp);
    bytes.inc(from, c.bytesDown);
  }
}
