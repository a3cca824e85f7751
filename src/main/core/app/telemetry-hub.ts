import type { Engine } from '../engine.js';
import type { Store } from '../store/index.js';
import { EngineLog } from '../telemetry/engine-log.js';
import { FanOutObserver } from '../telemetry/fan-out.js';
import { Metrics } from '../telemetry/metrics.js';
import { Redactor } from '../telemetry/redaction.js';
import { TrafficRecorder } from '../telemetry/traffic-recorder.js';
import type { Logger } from '../util/logger.js';

export interface TelemetryOptions {
  /** Off: no router observer at all (the hot path pays nothing); metrics still count states. */
  recordTraffic: boolean;
  store: Store | null;
  logger: Logger;
}

/**
 * Metrics, the traffic recorder and the engine log, wired to one engine: every router (present and future) gets
 * the same fan-out observer; batches go to the store when there is one. Secrets marked on a server's env are
 * scrubbed from traffic and logs alike (one Redactor).
 */
export class TelemetryHub {
  readonly redactor = new Redactor();
  readonly metrics: Metrics;
  readonly traffic: TrafficRecorder;
  readonly logs: EngineLog;
  private readonly observer: FanOutObserver;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly engine: Engine,
    private readonly options: TelemetryOptions,
  ) {
    const store = options.store;
    this.metrics = new Metrics({
      processes: () =>
        [...engine.servers.values()].map((s) => ({ server: s.name, pids: s.pids, inflight: s.router.inflightCount })),
    });
    this.traffic = new TrafficRecorder({
      redactor: this.redactor,
      sink: store ? (rows) => store.traffic.appendRecorded(rows) : undefined,
      logger: options.logger.child('telemetry'),
    });
    this.logs = new EngineLog({
      redactor: this.redactor,
      isServer: (name) => engine.servers.has(name),
      sink: store ? (records) => records.forEach((r) => store.logs.append({ ...r })) : undefined,
    });
    this.observer = new FanOutObserver(options.recordTraffic ? [this.metrics, this.traffic] : [this.metrics], (err) =>
      options.logger.warn(`a telemetry observer failed: ${(err as Error).message}`),
    );
    engine.setMetricsSource(async () => ({
      contentType: this.metrics.contentType,
      body: await this.metrics.prometheusText(),
    }));
    for (const server of engine.servers.values()) {
      this.watch(server.name);
      this.metrics.onStateChange({ ...server.state, server: server.name });
    }
    this.unsubscribe.push(
      engine.serversChanged.on(({ added, updated, removed }) => {
        for (const name of [...added, ...updated]) this.watch(name);
        for (const name of removed) this.metrics.removeServer(name);
      }),
      engine.stateChanges.on((change) => this.metrics.onStateChange(change)),
    );
  }

  /** A child's stderr line, straight to the log (no log level hides it). */
  stderr(server: string, line: string, dropped: number): void {
    if (dropped > 0) this.logs.addStderr(server, `[switchboard] dropped ${dropped} stderr lines over the rate cap`);
    this.logs.addStderr(server, line);
  }

  private watch(name: string): void {
    const server = this.engine.servers.get(name);
    if (!server) return;
    server.router.observe(this.observer);
    this.redactor.addSecretsFromEnv(server.definition.env, server.definition.secretEnvKeys);
  }

  dispose(): void {
    this.engine.setMetricsSource(null);
    for (const u of this.unsubscribe) u();
    this.metrics.dispose();
    this.traffic.dispose();
    this.logs.dispose();
  }
}
