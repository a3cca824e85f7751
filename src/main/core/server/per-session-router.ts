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
    let instance = this.instances.get(session);
    if (!instance) {
      const refuse = (why: string) => {
        if (classify(msg) === 'request')
          session.deliver(errorResponse(msg.id as JsonRpcId, ErrorCode.ServerUnavailable, why), msg.id as JsonRpcId);
      };
      if (msg.method !== 'initialize')
        return refuse(`server '${this.def.name}' runs a child per session: send initialize first`);
      const limit = this.def.options.maxChildren;
      if (this.instances.size >= limit) this.evictIdle?.((s) => this.instances.has(s));
      if (this.instances.size >= limit) {
        return refuse(
          `server '${this.def.name}' already runs ${this.instances.size} children, one per client session ` +
            `(its limit, options.maxChildren, is ${limit}): close a session or raise the limit`,
        );
      }
      instance = this.create(`${this.def.name}#${++this.count}`, { exclusive: { initialize: msg.params ?? {} } });
      this.instances.set(session, instance);
      this.start(instance);
    }
    instance.router.fromClient(session, msg);
  }

  detach(session: DownstreamSession, reason = 'client disconnected'): void {
    const instance = this.instances.get(session);
    if (!instance) return;
    this.instances.delete(session);
    instance.router.detach(session, reason);
    void instance.dispose(`session ended: ${reason}`);
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
