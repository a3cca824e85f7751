import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerSpec } from './config/server-config.js';
import { HttpGateway, type GatewayBackend, type ServedEndpoints } from './gateway/http-gateway.js';
import { LegacySseEndpoint } from './gateway/legacy-sse.js';
import { StreamableHttpEndpoint, type EndpointLimits } from './gateway/streamable-http.js';
import { SseStreams } from './gateway/streams.js';
import { supportedProtocolVersions } from './protocol/versions.js';
import { SessionRouter, type RouterOptions } from './router/session-router.js';
import type { RestartPolicyOptions } from './supervisor/restart-policy.js';
import { ChildRegistry } from './supervisor/child-registry.js';
import { HealthCheck, defaultHealthCheck, type HealthCheckOptions } from './supervisor/health-check.js';
import { ProcessBudget } from './supervisor/process-budget.js';
import { ServerSupervisor, type StateChange } from './supervisor/server-supervisor.js';
import { StderrLimiter } from './supervisor/stderr-limiter.js';
import type { StdioLimits } from './supervisor/stdio-process.js';
import { Listeners } from './util/listeners.js';
import { createLogger, stderrSink, type Logger } from './util/logger.js';

export const VERSION = '0.1.0';

export interface EngineOptions {
  servers: ServerSpec[];
  host: string;
  port: number;
  /** null: no auth (the user said --no-auth). */
  token: string | null;
  allowedOrigins: string[];
  allowedHosts: string[];
  /** Pass the whole parent environment to every child (TRANSPORT_PASS_ENV / --pass-environment). */
  passEnvironment: boolean;
  maxProcesses: number;
  maxBodyBytes: number;
  maxConcurrentRequests: number;
  maxSessionsPerServer: number;
  /** Streamable HTTP sessions idle this long (no stream, nothing in flight) are closed. */
  sessionIdleMs: number;
  rate: { perSecond: number; burst: number };
  keepaliveMs: number;
  /** Bytes an SSE stream may buffer for a slow reader before its session is closed. */
  maxStreamBufferBytes: number;
  handshakeTimeoutMs: number;
  /** Child stderr lines logged per second per server; the rest are counted as dropped. */
  stderrLinesPerSecond: number;
  stdio: Partial<StdioLimits>;
  router: Partial<RouterOptions>;
  restart: Partial<RestartPolicyOptions>;
  healthCheck: Partial<HealthCheckOptions>;
  /** Where children are recorded so a later run can reap them after a crash; none: not recorded. */
  dataDir?: string;
  logger: Logger;
}

export const defaultEngineOptions: Omit<EngineOptions, 'servers' | 'logger'> = {
  host: '127.0.0.1',
  port: 8808,
  token: null,
  allowedOrigins: [],
  allowedHosts: [],
  passEnvironment: false,
  maxProcesses: 10,
  maxBodyBytes: 1024 * 1024,
  maxConcurrentRequests: 4096,
  maxSessionsPerServer: 1000,
  sessionIdleMs: 30 * 60_000,
  rate: { perSecond: 20_000, burst: 40_000 },
  keepaliveMs: 15_000,
  maxStreamBufferBytes: 16 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  stderrLinesPerSecond: 200,
  stdio: {},
  router: {},
  restart: {},
  healthCheck: {},
};

/** What every server of one engine shares. */
interface SharedParts {
  streams: SseStreams;
  budget: ProcessBudget;
  registry?: ChildRegistry;
}

/** One served server: its process, its router, and its two HTTP transports. */
export class ManagedServer implements ServedEndpoints {
  readonly supervisor: ServerSupervisor;
  readonly router: SessionRouter;
  readonly healthCheck: HealthCheck;
  private readonly streamableEndpoint: StreamableHttpEndpoint;
  private readonly sseEndpoint: LegacySseEndpoint;

  constructor(
    readonly spec: ServerSpec,
    options: EngineOptions,
    { streams, budget, registry }: SharedParts,
  ) {
    const logger = options.logger.child(spec.name);
    this.supervisor = new ServerSupervisor({
      name: spec.name,
      spec: { ...spec, passEnvironment: spec.passEnvironment ?? options.passEnvironment },
      limits: options.stdio,
      restart: options.restart,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      logger,
      budget,
      registry,
    });
    this.router = new SessionRouter(spec.name, this.supervisor, logger, options.router);
    this.healthCheck = new HealthCheck(
      this.supervisor,
      (timeoutMs) => this.router.request('ping', {}, timeoutMs),
      { ...defaultHealthCheck, ...options.healthCheck },
      logger,
    );
    this.healthCheck.start();
    const stderrLog = logger.child('stderr');
    const limiter = new StderrLimiter(options.stderrLinesPerSecond, (line, dropped) => {
      if (dropped > 0) stderrLog.warn(`dropped ${dropped} stderr lines over the rate cap`);
      stderrLog.info(line);
    });
    this.supervisor.stderr.on((line) => limiter.line(line));
    const limits: EndpointLimits = {
      maxBodyBytes: options.maxBodyBytes,
      maxSessions: options.maxSessionsPerServer,
      rate: options.rate,
      sessionIdleMs: options.sessionIdleMs,
    };
    this.streamableEndpoint = new StreamableHttpEndpoint(this.router, streams, limits, logger);
    const messagesPath = `/servers/${encodeURIComponent(spec.name)}/messages`;
    this.sseEndpoint = new LegacySseEndpoint(this.router, streams, limits, logger, messagesPath);
  }

  get name(): string {
    return this.spec.name;
  }

  streamable(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    return this.streamableEndpoint.handle(req, res, cors);
  }

  sseOpen(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    this.sseEndpoint.open(req, res, cors);
  }

  ssePost(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void> {
    return this.sseEndpoint.post(req, res, url, cors);
  }

  get sessionCount(): number {
    return this.streamableEndpoint.sessionCount + this.sseEndpoint.sessionCount;
  }

  async shutdown(): Promise<void> {
    this.streamableEndpoint.closeAll();
    this.sseEndpoint.closeAll();
    this.healthCheck.stop();
    await this.supervisor.stop('gateway shutting down');
    this.router.dispose();
  }
}

const healthOf: Record<StateChange['state'], 'healthy' | 'degraded' | 'unhealthy'> = {
  running: 'healthy',
  degraded: 'degraded',
  starting: 'degraded',
  backoff: 'degraded',
  stopping: 'degraded',
  stopped: 'degraded',
  failed: 'unhealthy',
};

/**
 * The composition root: servers, their routers and the gateway, built from options and owned here, so every
 * host (CLI, Electron, tests) gets the same engine and stops it the same way.
 */
export class Engine implements GatewayBackend {
  readonly servers = new Map<string, ManagedServer>();
  readonly stateChanges = new Listeners<StateChange>();
  readonly gateway: HttpGateway;
  private readonly streams: SseStreams;
  private readonly registry?: ChildRegistry;
  private listening = false;

  constructor(readonly options: EngineOptions) {
    this.streams = new SseStreams(options.maxStreamBufferBytes, options.keepaliveMs);
    this.registry = options.dataDir
      ? new ChildRegistry(options.dataDir, (message) => options.logger.warn(message))
      : undefined;
    const shared: SharedParts = {
      streams: this.streams,
      budget: new ProcessBudget(options.maxProcesses),
      registry: this.registry,
    };
    for (const spec of options.servers) {
      if (this.servers.has(spec.name)) throw new Error(`two servers are named "${spec.name}"`);
      const server = new ManagedServer(spec, options, shared);
      server.supervisor.stateChanges.on((c) => this.stateChanges.emit(c));
      this.servers.set(spec.name, server);
    }
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

  /** Starts every server; failures are reported through state changes, not thrown. */
  async startAll(): Promise<void> {
    const reaped = (await this.registry?.reapStale()) ?? [];
    for (const r of reaped) {
      this.options.logger.warn(`ended a child left behind by an earlier run`, {
        server: r.server,
        pid: r.pid,
        cmdline: r.cmdline,
      });
    }
    await Promise.all([...this.servers.keys()].map((name) => this.startServer(name).catch(() => {})));
  }

  async startServer(name: string): Promise<void> {
    await this.require(name).supervisor.start();
  }

  stopServer(name: string): Promise<void> {
    return this.require(name).supervisor.stop();
  }

  async stop(): Promise<void> {
    this.streams.closeAll();
    await Promise.all([...this.servers.values()].map((s) => s.shutdown()));
    if (this.listening) await this.gateway.close();
    this.listening = false;
  }

  /** Synchronous last resort (process 'exit'): SIGKILL every child's group. */
  killNow(): void {
    for (const s of this.servers.values()) s.supervisor.killNow();
  }

  private require(name: string): ManagedServer {
    const server = this.servers.get(name);
    if (!server) throw new Error(`no server named "${name}"`);
    return server;
  }

  // ---- GatewayBackend --------------------------------------------------------------------------------------

  endpoints(name: string): ServedEndpoints | undefined {
    return this.servers.get(name);
  }

  soleServer(): string | undefined {
    return this.servers.size === 1 ? this.servers.keys().next().value : undefined;
  }

  health() {
    const servers = Object.fromEntries(
      [...this.servers.values()].map((s) => {
        const { state, reason, at } = s.supervisor.state;
        return [
          s.name,
          {
            status: healthOf[state],
            state,
            reason,
            since: new Date(at).toISOString(),
            pid: s.supervisor.pid,
            sessions: s.sessionCount,
            inflight: s.router.inflightCount,
          },
        ];
      }),
    );
    const statuses = Object.values(servers).map((s) => s.status);
    const status = !this.listening
      ? 'unhealthy'
      : statuses.length > 0 && statuses.every((s) => s === 'unhealthy')
        ? 'unhealthy'
        : statuses.some((s) => s !== 'healthy')
          ? 'degraded'
          : 'healthy';
    return {
      status,
      gateway: { status: this.listening ? 'healthy' : 'unhealthy', openStreams: this.streams.size },
      servers,
    } as const;
  }

  ready(): boolean {
    const states = [...this.servers.values()].map((s) => s.supervisor.state.state);
    return this.listening && (states.length === 0 || states.includes('running'));
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
        state: s.supervisor.state.state,
        reason: s.supervisor.state.reason,
        serverInfo: s.router.serverInitialize?.serverInfo ?? null,
        endpoints: {
          streamableHttp: `${baseUrl}/servers/${encodeURIComponent(s.name)}/mcp`,
          sse: `${baseUrl}/servers/${encodeURIComponent(s.name)}/sse`,
        },
      })),
      endpoints: sole ? { streamableHttp: `${baseUrl}/mcp`, sse: `${baseUrl}/sse` } : {},
    };
  }
}

export interface EngineStartOptions {
  servers?: ServerSpec[];
  configPath?: string;
  port?: number;
  host?: string;
  token?: string | null;
  dataDir?: string;
}

/** For hosts that just want a running engine with defaults (the Electron shell). */
export async function startEngine(
  options: EngineStartOptions,
): Promise<{ url: string; token: string | null; stop(): Promise<void>; engine: Engine }> {
  const { loadMcpServersFile } = await import('./config/server-config.js');
  const servers = options.servers ?? (options.configPath ? loadMcpServersFile(options.configPath).servers : []);
  const engine = new Engine({
    ...defaultEngineOptions,
    servers,
    host: options.host ?? defaultEngineOptions.host,
    port: options.port ?? defaultEngineOptions.port,
    token: options.token ?? null,
    dataDir: options.dataDir,
    logger: createLogger('info', stderrSink),
  });
  await engine.start();
  return { url: engine.url, token: engine.options.token, stop: () => engine.stop(), engine };
}
