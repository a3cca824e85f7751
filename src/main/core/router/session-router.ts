import type { InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import {
  ErrorCode,
  classify,
  errorResponse,
  progressTokenOf,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from '../protocol/jsonrpc.js';
import type { OversizedLine } from '../protocol/line-framer.js';
import { latestProtocolVersion, negotiateProtocolVersion } from '../protocol/versions.js';
import type { ServerSupervisor, SupervisedPeer } from '../supervisor/server-supervisor.js';
import type { Logger } from '../util/logger.js';
import type { FrameEvent, FrameObserver } from '../telemetry/frame.js';
import type { ClientRouter } from './client-router.js';
import type { DownstreamSession } from './session.js';

export interface RouterOptions {
  /** Per-request timeout, extended by each progress notification. */
  requestTimeoutMs: number;
  /** Hard limit however much progress arrives. */
  maxRequestTimeoutMs: number;
  /** Requests held while the server (re)starts; more are refused. */
  maxQueuedWhileStarting: number;
  /** Tools hidden from clients: `allow` (when set) lists the only visible ones, `deny` hides some. */
  toolFilter?: { allow?: string[]; deny?: string[] };
}

/** Whether a tool passes the server's tool filter. */
export function toolAllowed(filter: RouterOptions['toolFilter'], name: string): boolean {
  if (!filter) return true;
  if (filter.allow && !filter.allow.includes(name)) return false;
  return !filter.deny?.includes(name);
}

export const defaultRouterOptions: RouterOptions = {
  requestTimeoutMs: 60_000,
  maxRequestTimeoutMs: 600_000,
  maxQueuedWhileStarting: 1000,
};

interface Pending {
  /** null: Switchboard's own request (initialize, ping, explorer calls). */
  session: DownstreamSession | null;
  clientId: JsonRpcId;
  method: string;
  clientProgressToken?: JsonRpcId;
  startedAt: number;
  /** performance.now() when it went up: latency with sub-millisecond resolution. */
  sentAt: number;
  deadline: number;
  internal?: (msg: JsonRpcMessage) => void;
}

/** Capabilities a client must have declared to be sent a server→client request. */
const capabilityFor: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/**
 * Shares one child among many client sessions. Switchboard is the one client the child sees: it initializes
 * once and answers later clients' `initialize` from the cache. Each session keeps its own id space: ids and
 * progress tokens are rewritten to unique upstream numbers on the way up and restored on the way down, so a
 * response can only ever reach the session whose request it answers.
 */
export class SessionRouter implements SupervisedPeer, ClientRouter {
  private readonly sessions = new Set<DownstreamSession>();
  private readonly pending = new Map<number, Pending>();
  /** Server→client requests in flight: the child's id → the session it was sent to. */
  private readonly serverRequests = new Map<JsonRpcId, DownstreamSession>();
  private queued: Array<{ session: DownstreamSession; msg: JsonRpcRequest }> = [];
  private nextId = 1;
  private ready = false;
  private initResult: InitializeResult | null = null;
  private initializedOnce = false;
  private readonly timer: NodeJS.Timeout;
  private observer: FrameObserver | null = null;
  readonly options: RouterOptions;

  constructor(
    readonly name: string,
    private readonly supervisor: ServerSupervisor,
    private readonly logger: Logger,
    options: Partial<RouterOptions> = {},
  ) {
    this.options = { ...defaultRouterOptions, ...options };
    supervisor.attach(this);
    supervisor.stateChanges.on((change) => {
      if (change.state === 'failed' || change.state === 'stopped') this.rejectQueued(change.reason);
    });
    // A quarter second is fine-grained enough for timeouts of seconds, and scanning even thousands of pending
    // entries four times a second costs nothing measurable.
    this.timer = setInterval(() => this.expireRequests(), 250);
    this.timer.unref();
  }

  /** The child's cached `initialize` result, once it has answered. */
  get serverInitialize(): InitializeResult | null {
    return this.initResult;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get inflightCount(): number {
    return this.pending.size;
  }

  /** Watches every frame to and from the child (telemetry). One observer; null turns it off. */
  observe(observer: FrameObserver | null): void {
    this.observer = observer;
  }

  attach(session: DownstreamSession): void {
    this.sessions.add(session);
  }

  /** A session ended: cancel its requests upstream and answer what the child asked it with an error. */
  detach(session: DownstreamSession, reason = 'client disconnected'): void {
    if (!this.sessions.delete(session)) return;
    this.observer?.onSessionClosed?.(session.id, this.name);
    for (const upId of session.inflight.values()) {
      this.pending.delete(upId);
      this.sendUp({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upId, reason } });
    }
    session.inflight.clear();
    for (const [childId, owner] of this.serverRequests) {
      if (owner !== session) continue;
      this.serverRequests.delete(childId);
      this.sendUp(errorResponse(childId, ErrorCode.InternalError, `the client session ended: ${reason}`));
    }
    this.queued = this.queued.filter((q) => q.session !== session);
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** Switchboard's own request to the child (health pings, the dashboard's explorer). */
  request(method: string, params: Record<string, unknown> = {}, timeoutMs = this.options.requestTimeoutMs) {
    return new Promise<unknown>((resolve, reject) => {
      const id = this.nextId++;
      const now = Date.now();
      this.pending.set(id, {
        session: null,
        clientId: id,
        method,
        startedAt: now,
        sentAt: performance.now(),
        deadline: now + timeoutMs,
        internal: (msg) =>
          msg.error ? reject(Object.assign(new Error(msg.error.message), msg.error)) : resolve(msg.result),
      });
      if (!this.sendUp({ jsonrpc: '2.0', id, method, params }, null, id)) {
        this.pending.delete(id);
        reject(new Error(`server '${this.name}' is not running`));
      }
    });
  }

  // ---- client → server -------------------------------------------------------------------------------------

  /** Handles one already-validated message from a client. */
  fromClient(session: DownstreamSession, msg: JsonRpcMessage): void {
    const kind = classify(msg);
    if (kind === 'request') this.clientRequest(session, msg as JsonRpcRequest);
    else if (kind === 'notification') this.clientNotification(session, msg);
    else if (kind === 'response') this.clientResponse(session, msg);
  }

  private clientRequest(session: DownstreamSession, msg: JsonRpcRequest): void {
    if (msg.method === 'initialize') return void this.answerInitialize(session, msg);
    if (session.inflight.has(msg.id)) {
      return session.deliver(
        errorResponse(msg.id, ErrorCode.InvalidRequest, `request id ${JSON.stringify(msg.id)} is already in flight`),
        msg.id,
      );
    }
    if (msg.method === 'tools/call' && !toolAllowed(this.options.toolFilter, String(msg.params?.name))) {
      const why = `tool ${JSON.stringify(msg.params?.name)} is disabled for this server in Switchboard`;
      return session.deliver(errorResponse(msg.id, ErrorCode.InvalidParams, why), msg.id);
    }
    if (!this.ready) return this.queueOrRefuse(session, msg);
    this.forward(session, msg);
  }

  private forward(session: DownstreamSession, msg: JsonRpcRequest): void {
    const clientId = msg.id;
    const upId = this.nextId++;
    const now = Date.now();
    const entry: Pending = {
      session,
      clientId,
      method: msg.method,
      startedAt: now,
      sentAt: performance.now(),
      deadline: now + this.options.requestTimeoutMs,
    };
    const token = progressTokenOf(msg);
    if (token !== undefined) {
      entry.clientProgressToken = token;
      (msg.params!._meta as Record<string, unknown>).progressToken = upId;
    }
    if (msg.method === 'resources/subscribe' && typeof msg.params?.uri === 'string')
      session.subscriptions.add(msg.params.uri);
    if (msg.method === 'resources/unsubscribe' && typeof msg.params?.uri === 'string')
      session.subscriptions.delete(msg.params.uri);
    this.pending.set(upId, entry);
    session.inflight.set(clientId, upId);
    msg.id = upId;
    if (!this.sendUp(msg, session, clientId)) {
      this.pending.delete(upId);
      session.inflight.delete(clientId);
      session.deliver(
        errorResponse(
          clientId,
          ErrorCode.ServerUnavailable,
          `server '${this.name}' is not accepting input (${this.supervisor.state.state})`,
        ),
        clientId,
      );
    }
  }

  private queueOrRefuse(session: DownstreamSession, msg: JsonRpcRequest): void {
    const { state, reason } = this.supervisor.state;
    const waiting = state === 'starting' || state === 'backoff' || (state === 'running' && !this.ready);
    if (!waiting) {
      return session.deliver(
        errorResponse(msg.id, ErrorCode.ServerUnavailable, `server '${this.name}' is ${state}: ${reason}`),
        msg.id,
      );
    }
    if (this.queued.length >= this.options.maxQueuedWhileStarting) {
      return session.deliver(
        errorResponse(
          msg.id,
          ErrorCode.Overloaded,
          `server '${this.name}' is ${state} and ${this.queued.length} requests are already waiting`,
        ),
        msg.id,
      );
    }
    this.queued.push({ session, msg });
  }

  private rejectQueued(reason: string): void {
    const queued = this.queued;
    this.queued = [];
    for (const { session, msg } of queued) {
      session.deliver(
        errorResponse(msg.id, ErrorCode.ServerUnavailable, `server '${this.name}' did not start: ${reason}`),
        msg.id,
      );
    }
  }

  private async answerInitialize(session: DownstreamSession, msg: JsonRpcRequest): Promise<void> {
    const params = msg.params ?? {};
    session.clientCapabilities = (params.capabilities as Record<string, unknown>) ?? {};
    session.clientInfo = params.clientInfo as DownstreamSession['clientInfo'];
    session.protocolVersion = negotiateProtocolVersion(params.protocolVersion);
    this.attach(session);
    if (!this.ready) {
      try {
        await this.supervisor.whenRunning();
      } catch (err) {
        return session.deliver(errorResponse(msg.id, ErrorCode.ServerUnavailable, (err as Error).message), msg.id);
      }
    }
    const cached = this.initResult!;
    session.deliver(
      { jsonrpc: '2.0', id: msg.id, result: { ...cached, protocolVersion: session.protocolVersion } },
      msg.id,
    );
  }

  private clientNotification(session: DownstreamSession, msg: JsonRpcMessage): void {
    switch (msg.method) {
      case 'notifications/initialized':
        return; // the child was initialized by Switchboard itself
      case 'notifications/cancelled': {
        const upId = session.inflight.get(msg.params?.requestId as JsonRpcId);
        if (upId === undefined) return;
        session.inflight.delete(msg.params!.requestId as JsonRpcId);
        this.pending.delete(upId); // a late answer is dropped
        this.sendUp({ ...msg, params: { ...msg.params, requestId: upId } }, session);
        return;
      }
      default:
        this.sendUp(msg, session);
    }
  }

  private clientResponse(session: DownstreamSession, msg: JsonRpcMessage): void {
    const id = msg.id as JsonRpcId;
    if (this.serverRequests.get(id) !== session) {
      this.logger.debug('dropped a response to a request this session was not sent', {
        server: this.name,
        session: session.id,
      });
      return;
    }
    this.serverRequests.delete(id);
    this.sendUp(msg, session, id);
  }

  // ---- server → client -------------------------------------------------------------------------------------

  onMessage(line: string): void {
    let msg: JsonRpcMessage;
    try {
      msg = JSON.parse(line);
    } catch {
      this.logger.warn('protocol violation: dropped a non-JSON line on stdout', {
        server: this.name,
        line: line.slice(0, 200),
      });
      return;
    }
    switch (classify(msg)) {
      case 'response':
        return this.serverResponse(msg, line);
      case 'notification':
        return this.serverNotification(msg, line);
      case 'request':
        return this.serverRequest(msg as JsonRpcRequest, line);
      default:
        this.logger.warn('protocol violation: dropped a line that is not JSON-RPC 2.0', {
          server: this.name,
          line: line.slice(0, 200),
        });
    }
  }

  onOversized(info: OversizedLine): void {
    // The SDK writes the id last ({"result":…,"jsonrpc":"2.0","id":7}); look at both ends of the line.
    const match =
      /"id"\s*:\s*(\d+)\s*[,}]/.exec(info.tail) ??
      /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(\d+)/.exec(info.head);
    this.logger.warn(`dropped a ${info.size}-byte message over the size cap`, { server: this.name });
    if (!match) return;
    this.serverResponse(
      errorResponse(
        Number(match[1]),
        ErrorCode.MessageTooLarge,
        `the server's answer was ${info.size} bytes, over the message size cap`,
      ),
    );
  }

  private serverResponse(msg: JsonRpcMessage, line?: string): void {
    const upId = msg.id as number;
    const entry = this.pending.get(upId);
    if (!entry) return; // cancelled or timed out: a late answer goes nowhere
    this.pending.delete(upId);
    if (this.observer && line !== undefined) {
      this.emitFrame('down', line, 'response', entry.session, {
        method: entry.method,
        clientId: entry.clientId,
        isError: msg.error !== undefined,
        latencyMs: performance.now() - entry.sentAt,
      });
    }
    if (entry.method === 'tools/list' && this.options.toolFilter) this.filterTools(msg);
    if (entry.internal) return entry.internal(msg);
    const session = entry.session!;
    session.inflight.delete(entry.clientId);
    msg.id = entry.clientId;
    session.deliver(msg, entry.clientId);
  }

  private filterTools(msg: JsonRpcMessage): void {
    const result = msg.result as { tools?: Array<{ name: string }> } | undefined;
    if (Array.isArray(result?.tools))
      result.tools = result.tools.filter((t) => toolAllowed(this.options.toolFilter, t.name));
  }

  private serverNotification(msg: JsonRpcMessage, line: string): void {
    const params = msg.params ?? {};
    if (this.observer) {
      const owner =
        msg.method === 'notifications/progress' ? this.pending.get(params.progressToken as number) : undefined;
      this.emitFrame('down', line, 'notification', owner?.session ?? null, {
        method: msg.method,
        clientId: owner?.clientId,
      });
    }
    switch (msg.method) {
      case 'notifications/progress': {
        const entry = this.pending.get(params.progressToken as number);
        if (!entry?.session || entry.clientProgressToken === undefined) return;
        entry.deadline = Math.min(
          Date.now() + this.options.requestTimeoutMs,
          entry.startedAt + this.options.maxRequestTimeoutMs,
        );
        params.progressToken = entry.clientProgressToken;
        return entry.session.deliver(msg, entry.clientId);
      }
      case 'notifications/cancelled': {
        const session = this.serverRequests.get(params.requestId as JsonRpcId);
        this.serverRequests.delete(params.requestId as JsonRpcId);
        return session?.deliver(msg);
      }
      case 'notifications/resources/updated':
        for (const s of this.sessions) if (s.subscriptions.has(params.uri as string)) s.deliver(msg);
        return;
      default:
        // list_changed, logging messages and the like concern every session.
        for (const s of this.sessions) s.deliver(msg);
    }
  }

  private serverRequest(msg: JsonRpcRequest, line: string): void {
    const capability = capabilityFor[msg.method];
    const target = capability ? this.pickSessionFor(capability) : null;
    if (this.observer)
      this.emitFrame('down', line, 'request', target?.session ?? null, { method: msg.method, clientId: msg.id });
    if (msg.method === 'ping') return void this.sendUp({ jsonrpc: '2.0', id: msg.id, result: {} });
    if (!target) {
      const why = capability
        ? `no connected client supports ${capability}`
        : `Switchboard does not route ${msg.method}`;
      return void this.sendUp(errorResponse(msg.id, ErrorCode.MethodNotFound, why));
    }
    this.serverRequests.set(msg.id, target.session);
    target.session.deliver(msg, target.relatedTo);
  }

  /**
   * The session a server→client request belongs to. Over stdio the child cannot say which request made it ask,
   * so: the capable session with the most recent request in flight (the one being served), else any capable
   * session, else none. Never a broadcast.
   */
  private pickSessionFor(capability: string): { session: DownstreamSession; relatedTo?: JsonRpcId } | null {
    let best: { session: DownstreamSession; relatedTo?: JsonRpcId } | null = null;
    let bestUpId = -1;
    let idle: DownstreamSession | null = null;
    for (const s of this.sessions) {
      if (!s.clientCapabilities || !(capability in s.clientCapabilities)) continue;
      idle ??= s;
      for (const [clientId, upId] of s.inflight) {
        if (upId > bestUpId) {
          bestUpId = upId;
          best = { session: s, relatedTo: clientId };
        }
      }
    }
    return best ?? (idle ? { session: idle } : null);
  }

  // ---- lifecycle (called by the supervisor) ----------------------------------------------------------------

  async handshake(): Promise<void> {
    this.ready = false;
    const result = (await this.request('initialize', {
      protocolVersion: latestProtocolVersion,
      capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
      clientInfo: { name: 'mcp-switchboard', version: '0.1.0' },
    })) as InitializeResult;
    this.initResult = result;
    this.sendUp({ jsonrpc: '2.0', method: 'notifications/initialized' });
    this.ready = true;
    if (this.initializedOnce) this.announceRestart();
    this.initializedOnce = true;
    const queued = this.queued;
    this.queued = [];
    for (const { session, msg } of queued) if (this.sessions.has(session)) this.forward(session, msg);
  }

  onExit(reason: string): void {
    this.ready = false;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) {
      const error = errorResponse(
        entry.clientId,
        ErrorCode.ServerUnavailable,
        `${reason} while the request was in flight`,
      );
      if (entry.internal) entry.internal(error);
      else {
        entry.session!.inflight.delete(entry.clientId);
        entry.session!.deliver(error, entry.clientId);
      }
    }
    this.serverRequests.clear();
  }

  /** After a restart the new child may list other things: tell every session to list again. */
  private announceRestart(): void {
    const caps = (this.initResult?.capabilities ?? {}) as Record<string, { listChanged?: boolean } | undefined>;
    for (const kind of ['tools', 'resources', 'prompts']) {
      if (!caps[kind]) continue;
      for (const s of this.sessions) s.deliver({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` });
    }
  }

  private sendUp(msg: JsonRpcMessage, session: DownstreamSession | null = null, clientId?: JsonRpcId): boolean {
    const line = JSON.stringify(msg);
    const sent = this.supervisor.send(line);
    if (sent && this.observer) {
      const kind = msg.method === undefined ? 'response' : msg.id === undefined ? 'notification' : 'request';
      this.emitFrame('up', line, kind, session, { method: msg.method, clientId, isError: msg.error !== undefined });
    }
    return sent;
  }

  private emitFrame(
    direction: FrameEvent['direction'],
    payload: string,
    kind: FrameEvent['kind'],
    session: DownstreamSession | null,
    extra: Partial<FrameEvent>,
  ): void {
    this.observer!.onFrame({
      direction,
      server: this.name,
      session: session?.id ?? null,
      clientName: session?.clientInfo?.name,
      kind,
      size: payload.length,
      time: Date.now(),
      payload,
      ...extra,
    });
  }

  private expireRequests(): void {
    const now = Date.now();
    for (const [upId, entry] of this.pending) {
      if (now < entry.deadline) continue;
      this.pending.delete(upId);
      const elapsed = now - entry.startedAt;
      const seconds = elapsed < 10_000 ? (elapsed / 1000).toFixed(1) : String(Math.round(elapsed / 1000));
      const why =
        entry.deadline >= entry.startedAt + this.options.maxRequestTimeoutMs
          ? `${entry.method} timed out after ${seconds} s: over the maximum of ${this.options.maxRequestTimeoutMs / 1000} s, progress or not`
          : `${entry.method} timed out after ${seconds} s without an answer or progress`;
      this.sendUp({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upId, reason: why } });
      const error = errorResponse(entry.clientId, ErrorCode.RequestTimeout, why);
      if (entry.internal) entry.internal(error);
      else {
        entry.session!.inflight.delete(entry.clientId);
        entry.session!.deliver(error, entry.clientId);
      }
    }
  }
}
