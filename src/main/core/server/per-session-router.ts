import type { InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerDefinition } from '../../../shared/server-definition.js';
import { ErrorCode, classify, errorResponse, type JsonRpcId, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import type { ClientRouter } from '../router/client-router.js';
import type { RouterOptions } from '../router/router-options.js';
import type { DownstreamSession } from '../router/session.js';
import type { FrameObserver } from '../telemetry/frame.js';
import type { StateChange } from '../supervisor/server-supervisor.js';
import { Listeners } from '../util/listeners.js';
import { ServerInstance, type InstanceDefaults } from './server-instance.js';

function refuseRequest(session: DownstreamSession, msg: JsonRpcMessage, why: string): void {
  if (classify(msg) !== 'request') return;
  session.deliver(errorResponse(msg.id as JsonRpcId, ErrorCode.ServerUnavailable, why), msg.id as JsonRpcId);
}

/**
 * The `per-session` sharing mode, for servers that keep per-client state: each client session gets a child of
 * its own, initialized with that client's own `initialize` (capabilities, client info, protocol version) so what
 * the client sees equals a direct stdio connection, and stopped when the session ends (a DELETE, a closed
 * stream, an idle timeout). Children count against the engine's process limit and the server's `maxChildren`.
 */
export class PerSessionRouter implements ClientRouter {
  readonly stateChanges = new Listeners<StateChange>();
  private readonly instances = new Map<DownstreamSession, ServerInstance>();
  /** Switchboard's own requests (the dashboard explorer) get a child too, started on first use. */
  private internal: ServerInstance | null = null;
  private observer: FrameObserver | null = null;
  private lastInit: InitializeResult | null = null;
  private count = 0;
  private retrying = false;
  /** Messages of a session whose child waits for an evicted child's process slot. */
  private readonly waiting = new Map<DownstreamSession, JsonRpcMessage[]>();
  /** Why a session has no child (its start was refused): its later requests get that reason. */
  private readonly refused = new Map<DownstreamSession, string>();
  private readonly lastUsed = new Map<DownstreamSession, number>();
  /** Children being stopped, until they have exited (and given their process slot back). */
  private readonly disposals = new Map<ServerInstance, Promise<void>>();
  /** Set by the owner of the sessions: ends the idlest session `which` accepts, making room for a new child. */
  evictIdle?: (which: (s: DownstreamSession) => boolean) => boolean;

  constructor(
    private readonly def: ServerDefinition,
    private readonly defaults: InstanceDefaults,
  ) {}

  get inflightCount(): number {
    let n = this.internal?.router.inflightCount ?? 0;
    for (const i of this.instances.values()) n += i.router.inflightCount;
    return n;
  }

  get serverInitialize(): InitializeResult | null {
    return this.lastInit;
  }

  get children(): ServerInstance[] {
    return [...this.instances.values(), ...(this.internal ? [this.internal] : [])];
  }

  fromClient(session: DownstreamSession, msg: JsonRpcMessage): void {
    const instance = this.instances.get(session);
    if (instance) {
      this.lastUsed.set(session, Date.now());
      return instance.router.fromClient(session, msg);
    }
    const held = this.waiting.get(session);
    if (held) return void held.push(msg);
    if (msg.method !== 'initialize') {
      const why =
        this.refused.get(session) ?? `server '${this.def.name}' runs a child per session: send initialize first`;
      return refuseRequest(session, msg, why);
    }
    this.refused.delete(session);
    const limit = this.def.options.maxChildren;
    const budget = this.defaults.budget;
    const full = () => this.instances.size >= limit || budget.inUse >= budget.limit;
    if (full()) {
      // A client that is here now gets the place of the one that has been quiet longest, rather than a refusal.
      const freed = this.evictIdlest(`server "${this.def.name}" is at its limit of children`);
      if (!freed) {
        const why =
          this.instances.size >= limit
            ? `server '${this.def.name}' already runs ${this.instances.size} children, one per client session ` +
              `(its limit, options.maxChildren, is ${limit}), and every session is in use: close one or raise the limit`
            : `${budget.inUse} server processes are running (the limit, TRANSPORT_MAX_PROCESSES, is ${budget.limit}) ` +
              `and every session of '${this.def.name}' is in use: stop a server or raise the limit`;
        this.refused.set(session, why);
        return refuseRequest(session, msg, why);
      }
      // The evicted child holds its process slot until it has exited: this session's messages wait for that.
      const queue = [msg];
      this.waiting.set(session, queue);
      void freed.then(() => {
        if (this.waiting.get(session) !== queue) return; // the session ended meanwhile
        this.waiting.delete(session);
        this.open(session, queue[0]!);
        for (const m of queue.slice(1)) this.fromClient(session, m);
      });
      return;
    }
    this.open(session, msg);
  }

  /** A child of its own for `session`, initialized with that client's `initialize`. */
  private open(session: DownstreamSession, initialize: JsonRpcMessage): void {
    const instance = this.create(`${this.def.name}#${++this.count}`, {
      exclusive: { initialize: initialize.params ?? {} },
    });
    this.instances.set(session, instance);
    this.lastUsed.set(session, Date.now());
    void instance.supervisor.start().catch((err: Error) => {
      // Refused (the process limit) or failed: the session's initialize gets the reason; it holds no place.
      if (this.instances.get(session) !== instance) return;
      this.instances.delete(session);
      this.refused.set(session, err.message);
      void instance.dispose(err.message);
    });
    instance.router.fromClient(session, initialize);
  }

  /**
   * Ends the child of the least recently used session with nothing in flight (an aggregate link leaves just this
   * server; a client session is ended by its owner if it holds nothing open). Resolves when that child has exited.
   */
  private evictIdlest(why: string): Promise<void> | null {
    const quiet = [...this.instances.keys()]
      .filter((s) => s.inflight.size === 0)
      .sort((a, b) => (this.lastUsed.get(a) ?? 0) - (this.lastUsed.get(b) ?? 0));
    for (const candidate of quiet) {
      const instance = this.instances.get(candidate)!;
      const evicted = candidate.evict?.(why) ?? this.evictIdle?.((s) => s === candidate) ?? false;
      if (evicted) return this.disposals.get(instance) ?? Promise.resolve();
    }
    return null;
  }

  detach(session: DownstreamSession, reason = 'client disconnected'): void {
    this.waiting.delete(session);
    this.refused.delete(session);
    this.lastUsed.delete(session);
    const instance = this.instances.get(session);
    if (!instance) return;
    this.instances.delete(session);
    instance.router.detach(session, reason);
    const disposal = instance.dispose(`session ended: ${reason}`);
    this.disposals.set(instance, disposal);
    void disposal.finally(() => this.disposals.delete(instance));
  }

  async request(method: string, params: Record<string, unknown> = {}, timeoutMs?: number): Promise<unknown> {
    // Assigned before it starts: a start refused by the process limit reports a state change synchronously, and
    // whoever reacts to it (the aggregate) may call request() again; it must find this instance, not make another.
    if (!this.internal) {
      this.internal = this.create(`${this.def.name}#explorer`);
      this.start(this.internal);
    } else if (this.internal.supervisor.state.state === 'failed' && !this.retrying) {
      // Refused earlier (say, by the process limit): try again now, once per call, never re-entrantly.
      this.retrying = true;
      try {
        this.start(this.internal);
      } finally {
        this.retrying = false;
      }
    }
    await this.internal.supervisor.whenRunning();
    return this.internal.router.request(method, params, timeoutMs);
  }

  observe(observer: FrameObserver | null): void {
    this.observer = observer;
    for (const i of this.children) i.router.observe(observer);
  }

  async shutdown(reason: string): Promise<void> {
    const all = this.children;
    this.instances.clear();
    this.internal = null;
    await Promise.all(all.map((i) => i.dispose(reason)));
  }

  killNow(): void {
    for (const i of this.children) i.supervisor.killNow();
  }

  private create(label: string, router: Partial<RouterOptions> = {}): ServerInstance {
    const instance = new ServerInstance(label, this.def, this.defaults, router);
    instance.router.observe(this.observer);
    instance.supervisor.stateChanges.on((change) => {
      if (change.state === 'running') this.lastInit = instance.router.serverInitialize;
      this.stateChanges.emit(change);
    });
    return instance;
  }

  private start(instance: ServerInstance): void {
    void instance.supervisor.start().catch(() => {}); // a refusal (process limit) answers the session's initialize
  }
}
