import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerDefinition } from '../../../shared/server-definition.js';
import type { ServedEndpoints } from '../gateway/http-gateway.js';
import { HttpError } from '../gateway/http-util.js';
import { EndpointSet } from '../gateway/endpoint-set.js';
import type { EndpointLimits } from '../gateway/streamable-http.js';
import type { SseStreams } from '../gateway/streams.js';
import type { ClientRouter } from '../router/client-router.js';
import type { ServerSupervisor, StateChange } from '../supervisor/server-supervisor.js';
import { Listeners } from '../util/listeners.js';
import { AutoRouter } from './auto-router.js';
import { PerSessionRouter } from './per-session-router.js';
import { ServerInstance, type InstanceDefaults } from './server-instance.js';
import type { SharingDecision, SharingDecisions } from './sharing-decisions.js';

export interface ManagedServerParts {
  defaults: InstanceDefaults;
  streams: SseStreams;
  limits: EndpointLimits;
  decisions: SharingDecisions;
}

/**
 * One registered server as the gateway serves it: its definition, the child (or children) behind it by sharing
 * mode, and its transports. `shared`: one child; `per-session`: a child per session; `auto`: one shared child,
 * plus a child per session once the server shows it needs one. Disabled servers refuse clients with the reason.
 */
export class ManagedServer implements ServedEndpoints {
  readonly stateChanges = new Listeners<StateChange>();
  readonly router: ClientRouter;
  private readonly shared: ServerInstance | null;
  private readonly perSession: PerSessionRouter | null;
  private readonly endpoints: EndpointSet;
  private perSessionState: StateChange;
  private readonly decisions: SharingDecisions;
  /** The user stopped it: a client request must not start it again behind their back. */
  private userStopped = false;

  constructor(
    readonly definition: ServerDefinition,
    { defaults, streams, limits, decisions }: ManagedServerParts,
  ) {
    const logger = defaults.logger.child(definition.name);
    this.decisions = decisions;
    this.perSessionState = { server: definition.name, state: 'stopped', reason: 'not started', at: Date.now() };
    const sharing = definition.options.sharing;
    this.perSession = sharing === 'shared' ? null : new PerSessionRouter(definition, defaults);
    if (sharing === 'per-session') {
      this.shared = null;
      this.perSession!.stateChanges.on((c) => this.stateChanges.emit(c));
      this.router = this.perSession!;
    } else if (sharing === 'auto') {
      let auto: AutoRouter | null = null;
      this.shared = new ServerInstance(definition.name, definition, defaults, {
        onServerRequest: (method) => auto?.serverAsked(method),
      });
      auto = new AutoRouter(definition.name, this.shared.router, this.perSession!, decisions);
      this.router = auto;
    } else {
      this.shared = new ServerInstance(definition.name, definition, defaults);
      this.router = this.shared.router;
    }
    this.shared?.supervisor.stateChanges.on((c) => this.stateChanges.emit(c));
    const messagesPath = `/servers/${encodeURIComponent(definition.name)}/messages`;
    this.endpoints = new EndpointSet(this.router, streams, limits, logger, messagesPath);
    if (this.perSession) {
      this.perSession.evictIdle = (which) =>
        this.endpoints.sessions.evictIdlest(`server "${this.name}" reached its limit of children`, which);
    }
  }

  /** `auto`: since when, and why, new sessions get a child of their own; undefined while shared. */
  get sharingDecision(): SharingDecision | undefined {
    return this.definition.options.sharing === 'auto' ? this.decisions.get(this.name) : undefined;
  }

  /** At its session limit: a new client evicts an idle one or is refused. */
  get atSessionCap(): boolean {
    return this.endpoints.sessions.atCap;
  }

  get name(): string {
    return this.definition.name;
  }

  /** The shared child's supervisor; per-session servers have none (each session has its own). */
  get supervisor(): ServerSupervisor {
    if (!this.shared) throw new Error(`server "${this.name}" runs a child per session: it has no single supervisor`);
    return this.shared.supervisor;
  }

  get state(): StateChange {
    if (this.shared) return this.shared.supervisor.state;
    return this.perSessionState;
  }

  /** Pids of the live children (one when shared). */
  get pids(): number[] {
    const instances = [...(this.shared ? [this.shared] : []), ...(this.perSession?.children ?? [])];
    return instances.map((i) => i.supervisor.pid).filter((p): p is number => p !== null);
  }

  get pid(): number | null {
    return this.shared ? this.shared.supervisor.pid : null;
  }

  get runningSince(): number | null {
    return this.shared ? this.shared.supervisor.runningSince : null;
  }

  get sessionCount(): number {
    return this.endpoints.sessionCount;
  }

  async start(): Promise<void> {
    if (!this.definition.enabled)
      throw Object.assign(new Error(`server "${this.name}" is disabled`), { kind: 'conflict' });
    this.userStopped = false;
    if (this.shared) return this.shared.supervisor.start();
    this.setPerSessionState('running', 'ready: a child starts for each client session');
  }

  async stop(): Promise<void> {
    this.userStopped = true;
    await this.perSession?.shutdown('stop requested');
    if (this.shared) return this.shared.supervisor.stop();
    this.setPerSessionState('stopped', 'stop requested');
  }

  streamable(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    this.startOnDemand();
    return this.endpoints.streamable(req, res, cors);
  }

  sseOpen(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    this.startOnDemand();
    this.endpoints.sseOpen(req, res, cors);
  }

  websocket(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.startOnDemand();
    this.endpoints.websocket(req, socket, head);
  }

  ssePost(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void> {
    return this.endpoints.ssePost(req, res, url, cors);
  }

  async shutdown(reason = 'gateway shutting down'): Promise<void> {
    this.endpoints.closeAll();
    await Promise.all([this.shared?.dispose(reason), this.perSession?.shutdown(reason)]);
  }

  killNow(): void {
    this.shared?.supervisor.killNow();
    this.perSession?.killNow();
  }

  /** A server without autostart comes up on its first client; one the user stopped does not. */
  private startOnDemand(): void {
    if (!this.definition.enabled) {
      throw new HttpError(
        503,
        `Service Unavailable: server "${this.name}" is disabled; enable it in Switchboard`,
        -32000,
      );
    }
    if (!this.definition.enabled || this.userStopped || this.state.state !== 'stopped') return;
    void this.start().catch(() => {});
  }

  private setPerSessionState(state: StateChange['state'], reason: string): void {
    this.perSessionState = { server: this.name, state, reason, at: Date.now() };
    this.stateChanges.emit(this.perSessionState);
  }
}
