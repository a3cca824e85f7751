import { Counter } from 'prom-client';
import type { StateChange } from '../supervisor/server-supervisor.js';
import type { FrameEvent, FrameObserver } from './frame.js';
import { serverSnapshot, sessionSnapshot, type MetricsSnapshot } from './metrics-snapshot.js';
import { PrometheusExporter } from './prometheus-exporter.js';
import { ProcessSampler } from './process-sampler.js';
import { ServerStats, SessionStats } from './stats.js';
import { metricsDefaults, type MetricsOptions } from './metrics-options.js';

export { defaultServerOf, type MetricsOptions, type ServerProcess } from './metrics-options.js';

const CANCELLED = 'notifications/cancelled';

/**
 * Live numbers per server and per session, fed by the router's frames, the supervisors' state changes and a
 * sampling timer; read as Prometheus text or as a JSON snapshot. `onFrame` is on the hot path: it bumps plain
 * fields found by two map lookups and, for a response, counts its latency in a bucket.
 */
export class Metrics implements FrameObserver {
  private readonly servers = new Map<string, ServerStats>();
  private readonly sessions = new Map<string, SessionStats>();
  private ownSeries = 0;
  private readonly exporter: PrometheusExporter;
  private readonly sampler = new ProcessSampler();
  private readonly timer: NodeJS.Timeout;
  private sampling: Promise<void> | null = null;
  private readonly options: Required<Omit<MetricsOptions, 'processes'>> & Pick<MetricsOptions, 'processes'>;
  /** The developer's loop (issue 13): counted off the hot path, as the live linter reads recorded batches. */
  private readonly lintFindings: Counter<'server' | 'rule' | 'severity'>;
  private readonly lintUnchecked: Counter<'server'>;
  /** Router name → its stats, so the hot path never re-derives the server name. */
  private readonly byRouterName = new Map<string, ServerStats>();

  constructor(options: MetricsOptions = {}) {
    this.options = { ...metricsDefaults, ...options };
    this.exporter = new PrometheusExporter({ engineProcessMetrics: this.options.engineProcessMetrics });
    this.lintFindings = new Counter({
      name: 'switchboard_lint_findings_total',
      help: 'Protocol problems the live linter found in what the server sent, by rule and severity.',
      labelNames: ['server', 'rule', 'severity'],
      registers: [this.exporter.registry],
    });
    this.lintUnchecked = new Counter({
      name: 'switchboard_lint_unchecked_frames_total',
      help: 'Frames the live linter left unchecked because the server sent more than it checks per second.',
      labelNames: ['server'],
      registers: [this.exporter.registry],
    });
    this.timer = setInterval(() => void this.sampleNow(), this.options.sampleIntervalMs);
    this.timer.unref();
  }

  onFrame(f: FrameEvent): void {
    const server = this.byRouterName.get(f.server) ?? this.serverFor(f.server);
    let session: SessionStats | undefined;
    if (f.session !== null) {
      session = this.sessions.get(f.session) ?? this.addSession(f.session, server, f.clientName);
      session.lastSeen = f.time;
    }
    if (f.direction === 'up') {
      server.messagesUp++;
      server.bytesUp += f.size;
      if (session) {
        session.messagesUp++;
        session.bytesUp += f.size;
      }
      if (f.kind === 'request') {
        server.method(f.method).requests++;
        server.requests++;
        server.inflight++;
      } else if (f.kind === 'notification' && f.method === CANCELLED && server.inflight > 0) {
        server.inflight--; // the router sends one of these for each request it gives up on
      }
      return;
    }
    server.messagesDown++;
    server.bytesDown += f.size;
    if (session) {
      session.messagesDown++;
      session.bytesDown += f.size;
    }
    if (f.kind !== 'response') return;
    const method = server.method(f.method);
    if (server.inflight > 0) server.inflight--;
    if (f.isError) {
      method.errors++;
      server.errors++;
      if (session) session.errors++;
    }
    if (f.latencyMs !== undefined) {
      method.observeLatency(f.latencyMs / 1000);
      server.latency.record(f.latencyMs, f.time);
    }
  }

  /** Feed every supervisor state change here (and the current state once, when wiring up). */
  onStateChange(change: StateChange): void {
    const server = this.serverFor(change.server);
    if (change.state === 'starting' && server.state === 'backoff') server.restarts++;
    const wasUp = server.isUp;
    server.state = change.state;
    // Degraded (failing health checks) is still up: uptime runs on through it.
    if (!server.isUp) server.runningSince = null;
    else if (!wasUp) server.runningSince = change.at;
    // The router fails every pending request when the child goes away, without frames for those answers.
    if (change.state === 'stopped' || change.state === 'backoff' || change.state === 'failed') server.inflight = 0;
  }

  /** One problem the live protocol linter found (switchboard_lint_findings_total). */
  countLintFinding(server: string, rule: string, severity: string): void {
    this.lintFindings.inc({ server, rule, severity });
  }

  countLintUnchecked(server: string, frames: number): void {
    this.lintUnchecked.inc({ server }, frames);
  }

  /** A client session ended: its series disappear (or, if it was one of the capped, stay summed in "other"). */
  onSessionClosed(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    if (session.ownSeries) this.ownSeries--;
    else session.server.otherClosed.add(session);
  }

  /** A server left the registry: forget everything about it. */
  removeServer(name: string): void {
    const server = this.servers.get(name);
    if (!server) return;
    for (const s of this.sessions.values()) if (s.server === server) this.onSessionClosed(s.id);
    this.servers.delete(name);
    for (const [routerName, s] of this.byRouterName) if (s === server) this.byRouterName.delete(routerName);
  }

  /** Samples CPU, memory, in-flight counts and rates now (the timer does this every interval). */
  sampleNow(): Promise<void> {
    this.sampling ??= this.sample().finally(() => (this.sampling = null));
    return this.sampling;
  }

  snapshot(now = Date.now()): MetricsSnapshot {
    return {
      time: now,
      servers: [...this.servers.values()].map((s) => serverSnapshot(s, now)),
      sessions: [...this.sessions.values()].map(sessionSnapshot),
    };
  }

  /** The /metrics body; serve it with `contentType`. */
  async prometheusText(): Promise<string> {
    this.exporter.publish(this.servers.values(), this.sessions.values(), Date.now());
    return this.exporter.text();
  }

  get contentType(): string {
    return this.exporter.contentType;
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private serverFor(routerName: string): ServerStats {
    const name = this.options.serverOf(routerName);
    let stats = this.servers.get(name);
    if (!stats) {
      stats = new ServerStats(name, this.options.maxMethodsPerServer);
      this.servers.set(name, stats);
    }
    // A cache, not state: per-session instance labels would otherwise make it grow with every session.
    if (this.byRouterName.size >= 1000) this.byRouterName.clear();
    this.byRouterName.set(routerName, stats);
    return stats;
  }

  private addSession(id: string, server: ServerStats, clientName: string | undefined): SessionStats {
    const own = this.ownSeries < this.options.maxSessionSeries;
    if (own) this.ownSeries++;
    const stats = new SessionStats(id, server, own, clientName);
    this.sessions.set(id, stats);
    return stats;
  }

  private async sample(): Promise<void> {
    const now = Date.now();
    for (const s of this.servers.values()) s.tick(now);
    for (const s of this.sessions.values()) {
      if (now - s.lastSeen > this.options.sessionIdleMs) this.onSessionClosed(s.id);
    }
    const processes = [...(this.options.processes?.() ?? [])];
    for (const p of processes) {
      const server = this.serverFor(p.server);
      if (p.inflight !== undefined) server.inflight = p.inflight;
    }
    const usage = await this.sampler.sample(processes.flatMap((p) => p.pids)).catch(() => new Map());
    const at = Date.now();
    for (const p of processes) this.servers.get(this.options.serverOf(p.server))?.sampled(p.pids, usage, at);
  }
}
