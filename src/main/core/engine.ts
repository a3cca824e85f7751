import { join } from 'node:path';
import type { ServerDefinition } from '../../shared/server-definition.js';
import { EndpointSet } from './gateway/endpoint-set.js';
import { HttpGateway, type GatewayBackend, type ServedEndpoints } from './gateway/http-gateway.js';
import type { EndpointLimits } from './gateway/streamable-http.js';
import { SseStreams } from './gateway/streams.js';
import { supportedProtocolVersions } from './protocol/versions.js';
import { AggregateRouter } from './router/aggregate-router.js';
import { aggregateSourceOf } from './router/aggregate-source.js';
import { ManagedServer } from './server/managed-server.js';
import { SharingDecisions } from './server/sharing-decisions.js';
import type { InstanceDefaults } from './server/server-instance.js';
import { ChildRegistry } from './supervisor/child-registry.js';
import { ProcessBudget } from './supervisor/process-budget.js';
import type { StateChange } from './supervisor/server-supervisor.js';
import { Listeners } from './util/listeners.js';
import { toDefinition, type EngineOptions, type ServerInput } from './engine-options.js';

// Hosts and tests import these from here: the engine's options live beside it (engine-options.ts).
export { defaultEngineOptions, toDefinition, type EngineOptions, type ServerInput } from './engine-options.js';
export { ManagedServer };

export const VERSION = '0.1.0';

const healthOf: Record<StateChange['state'], 'healthy' | 'degraded' | 'unhealthy'> = {
  running: 'healthy',
  degraded: 'degraded',
  starting: 'degraded',
  installing: 'degraded',
  backoff: 'degraded',
  stopping: 'degraded',
  stopped: 'degraded',
  failed: 'unhealthy',
};

export interface ServersChanged {
  added: string[];
  removed: string[];
  updated: string[];
}

/**
 * The composition root: servers, their routers and the gateway, built from options and owned here, so every
 * host (CLI, Electron, tests) gets the same engine and stops it the same way. Servers can be added, replaced and
 * removed while it runs.
 */
export class Engine implements GatewayBackend {
  readonly servers = new Map<string, ManagedServer>();
  readonly stateChanges = new Listeners<StateChange>();
  readonly serversChanged = new Listeners<ServersChanged>();
  readonly gateway: HttpGateway;
  /** `/mcp`, `/sse` and `/ws` when there is no sole server: every server as one. */
  readonly aggregateRouter: AggregateRouter;
  private readonly aggregateEndpoints: EndpointSet;
  private readonly streams: SseStreams;
  private readonly registry?: ChildRegistry;
  private readonly defaults: InstanceDefaults;
  private readonly limits: EndpointLimits;
  /** What the `auto` sharing mode decided per server, kept across restarts in the data dir. */
  readonly sharingDecisions: SharingDecisions;
  private listening = false;
  private metricsSource: (() => Promise<{ contentType: string; body: string }>) | null = null;

  constructor(readonly options: EngineOptions) {
    this.streams = new SseStreams(options.maxStreamBufferBytes, options.keepaliveMs);
    this.registry = options.dataDir
      ? new ChildRegistry(options.dataDir, (message) => options.logger.warn(message))
      : undefined;
    this.defaults = {
      passEnvironment: options.passEnvironment,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      stderrLinesPerSecond: options.stderrLinesPerSecond,
      stdio: options.stdio,
      router: options.router,
      restart: options.restart,
      healthCheck: options.healthCheck,
      logger: options.logger,
      onStderr: options.onStderr,
      budget: new ProcessBudget(options.maxProcesses),
      registry: this.registry,
    };
    this.sharingDecisions = new SharingDecisions(
      options.dataDir ? join(options.dataDir, 'sharing-decisions.json') : undefined,
      (message) => options.logger.warn(message),
    );
    this.limits = {
      maxBodyBytes: options.maxBodyBytes,
      maxSessions: options.maxSessionsPerServer,
      rate: options.rate,
      sessionIdleMs: options.sessionIdleMs,
    };
    for (const input of options.servers) {
      const def = toDefinition(input);
      if (this.servers.has(def.name)) throw new Error(`two servers are named "${def.name}"`);
      this.servers.set(def.name, this.build(def));
    }
    const aggregateLog = options.logger.child('aggregate');
    this.aggregateRouter = new AggregateRouter(
      aggregateSourceOf(
        () => this.servers.values(),
        (fn) => this.stateChanges.on(fn),
        (fn) => this.serversChanged.on(fn),
      ),
      aggregateLog,
      { serverInfo: { name: 'mcp-switchboard', version: VERSION } },
    );
    this.aggregateEndpoints = new EndpointSet(
      this.aggregateRouter,
      this.streams,
      this.limits,
      aggregateLog,
      '/messages',
    );
    this.gateway = new HttpGateway(
      { ...options, bindHost: options.host, port: options.port },
      this,
      options.logger.child('gateway'),
    );
  }

  get url(): string {
    return this.gateway.url;
  }

  /** Listens, then starts every server (a server that fails to start does not stop the others). */
  async start(): Promise<void> {
    await this.listen();
    await this.startAll();
  }

  async listen(): Promise<string> {
    const url = await this.gateway.listen();
    this.listening = true;
    return url;
  }

  /** Reaps children an earlier run left behind, then starts every enabled autostart server. */
  async startAll(): Promise<void> {
    // Callers fire and forget this (`void engine.startAll()`): crash recovery failing must cost a warning, not the
    // process (an unhandled rejection) or the servers that were about to start.
    const reaped =
      (await this.registry?.reapStale().catch((err: Error) => {
        this.options.logger.warn(`could not end the children of an earlier run: ${err.message}`);
        return [];
      })) ?? [];
    for (const r of reaped) {
      this.options.logger.warn(`ended a child left behind by an earlier run`, {
        server: r.server,
        pid: r.pid,
        cmdline: r.cmdline,
      });
    }
    const autostart = [...this.servers.values()].filter((s) => s.definition.enabled && s.definition.autostart);
    await Promise.all(autostart.map((s) => s.start().catch(() => {})));
  }

  async startServer(name: string): Promise<void> {
    await this.require(name).start();
  }

  stopServer(name: string): Promise<void> {
    return this.require(name).stop();
  }

  async restartServer(name: string): Promise<void> {
    const server = this.require(name);
    await server.stop();
    await server.start();
  }

  /** Registers a new server and starts it if it is enabled and autostarts. */
  async addServer(input: ServerInput): Promise<ManagedServer> {
    const def = toDefinition(input);
    if (this.servers.has(def.name)) {
      throw Object.assign(new Error(`a server named "${def.name}" already exists`), { kind: 'conflict' });
    }
    const server = this.build(def);
    this.servers.set(def.name, server);
    this.serversChanged.emit({ added: [def.name], removed: [], updated: [] });
    if (this.listening && def.enabled && def.autostart) await server.start().catch(() => {});
    return server;
  }

  /**
   * Replaces a server's definition. Its sessions end (clients reconnect to the new process); it comes back up if
   * it was running, or if it is enabled and autostarts. A rename is a remove plus an add.
   */
  async updateServer(name: string, input: ServerInput): Promise<ManagedServer> {
    const old = this.require(name);
    const def = toDefinition(input);
    if (def.name !== name && this.servers.has(def.name)) {
      throw Object.assign(new Error(`a server named "${def.name}" already exists`), { kind: 'conflict' });
    }
    const wasUp = ['running', 'degraded', 'starting', 'installing', 'backoff'].includes(old.state.state);
    await old.shutdown('definition changed');
    this.servers.delete(name);
    const server = this.build(def);
    this.servers.set(def.name, server);
    this.serversChanged.emit(
      def.name === name
        ? { added: [], removed: [], updated: [name] }
        : { added: [def.name], removed: [name], updated: [] },
    );
    if (this.listening && def.enabled && (wasUp || def.autostart)) await server.start().catch(() => {});
    return server;
  }

  /** `auto`: forget that a server needed a child per session; new sessions share its child again. */
  resetSharingDecision(name: string): void {
    this.require(name);
    this.sharingDecisions.reset(name);
  }

  async removeServer(name: string): Promise<void> {
    const server = this.require(name);
    this.servers.delete(name);
    await server.shutdown('server removed');
    this.serversChanged.emit({ added: [], removed: [name], updated: [] });
  }

  async stop(): Promise<void> {
    this.aggregateEndpoints.closeAll();
    this.aggregateRouter.dispose();
    this.streams.closeAll();
    await Promise.all([...this.servers.values()].map((s) => s.shutdown()));
    if (this.listening) await this.gateway.close();
    this.listening = false;
  }

  /** Synchronous last resort (process 'exit'): SIGKILL every child's group. */
  killNow(): void {
    for (const s of this.servers.values()) s.killNow();
  }

  require(name: string): ManagedServer {
    const server = this.servers.get(name);
    if (!server) throw Object.assign(new Error(`no server named "${name}"`), { kind: 'not_found' });
    return server;
  }

  private build(def: ServerDefinition): ManagedServer {
    const server = new ManagedServer(def, {
      defaults: this.defaults,
      streams: this.streams,
      limits: this.limits,
      decisions: this.sharingDecisions,
    });
    server.stateChanges.on((c) => this.stateChanges.emit({ ...c, server: def.name }));
    return server;
  }

  /** Where `/metrics` gets its Prometheus text (telemetry lives outside the engine). */
  setMetricsSource(source: (() => Promise<{ contentType: string; body: string }>) | null): void {
    this.metricsSource = source;
  }

  // ---- GatewayBackend --------------------------------------------------------------------------------------

  metrics() {
    return this.metricsSource?.();
  }

  endpoints(name: string): ServedEndpoints | undefined {
    return this.servers.get(name);
  }

  aggregate(): ServedEndpoints {
    return this.aggregateEndpoints;
  }

  soleServer(): string | undefined {
    return this.servers.size === 1 ? this.servers.keys().next().value : undefined;
  }

  health() {
    const servers = Object.fromEntries(
      [...this.servers.values()].map((s) => {
        const { state, reason, at } = s.state;
        const base = s.definition.enabled ? healthOf[state] : 'healthy';
        // At the session cap new clients evict idle ones or are refused: worth a look, not an outage.
        const status = base === 'healthy' && s.atSessionCap ? 'degraded' : base;
        return [
          s.name,
          {
            status,
            state: s.definition.enabled ? state : 'disabled',
            reason,
            since: new Date(at).toISOString(),
            pid: s.pid,
            sessions: s.sessionCount,
            inflight: s.router.inflightCount,
            ...(s.atSessionCap ? { sessionLimitReached: true } : {}),
          },
        ];
      }),
    );
    const statuses = Object.values(servers).map((s) => s.status);
    const status = !this.listening
      ? 'unhealthy'
      : statuses.length > 0 && statuses.every((s) => s === 'unhealthy')
        ? 'unhealthy'
        : statuses.some((s) => s !== 'healthy') || this.aggregateEndpoints.sessions.atCap
          ? 'degraded'
          : 'healthy';
    return {
      status,
      gateway: {
        status: !this.listening ? 'unhealthy' : this.aggregateEndpoints.sessions.atCap ? 'degraded' : 'healthy',
        openStreams: this.streams.size,
        ...(this.aggregateEndpoints.sessions.atCap ? { sessionLimitReached: true } : {}),
      },
      servers,
    } as const;
  }

  /**
   * Honest startup: true once the gateway listens and every enabled autostart server has settled (running,
   * failed, installing, or stopped by the user), so a client that connects now sees every server that is coming.
   * Not once one server runs. Per-session servers start on demand. A later restart does not make it false again.
   */
  ready(): boolean {
    const pending = [...this.servers.values()].filter(
      (s) =>
        s.definition.enabled &&
        s.definition.autostart &&
        s.definition.options.sharing !== 'per-session' &&
        !s.supervisor.settled,
    );
    return this.listening && pending.length === 0;
  }

  info(baseUrl: string) {
    const sole = this.soleServer();
    return {
      name: 'mcp-switchboard',
      version: VERSION,
      protocolVersions: supportedProtocolVersions,
      auth: this.options.token === null ? 'none' : 'bearer',
      servers: [...this.servers.values()].map((s) => ({
        name: s.name,
        enabled: s.definition.enabled,
        sharing: s.definition.options.sharing,
        ...(s.sharingDecision ? { sharingDecision: s.sharingDecision } : {}),
        state: s.state.state,
        reason: s.state.reason,
        serverInfo: s.router.serverInitialize?.serverInfo ?? null,
        endpoints: {
          streamableHttp: `${baseUrl}/servers/${encodeURIComponent(s.name)}/mcp`,
          sse: `${baseUrl}/servers/${encodeURIComponent(s.name)}/sse`,
        },
      })),
      // With one server these are that server; otherwise the aggregate of all of them.
      endpoints: {
        streamableHttp: `${baseUrl}/mcp`,
        sse: `${baseUrl}/sse`,
        websocket: `${baseUrl.replace(/^http/, 'ws')}/ws`,
        serves: sole ?? 'aggregate',
      },
    };
  }
}
