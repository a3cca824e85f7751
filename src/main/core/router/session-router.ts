import type { InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import { describeId } from '../protocol/json-text.js';
import {
  ErrorCode,
  classify,
  errorResponse,
  progressTokenOf,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from '../protocol/jsonrpc.js';
import { oversizedResponseId, type OversizedLine } from '../protocol/line-framer.js';
import { RawResponse } from '../protocol/raw-response.js';
import { peekResponse } from '../protocol/response-peek.js';
import { latestProtocolVersion, negotiateProtocolVersion } from '../protocol/versions.js';
import type { ServerSupervisor, SupervisedPeer } from '../supervisor/server-supervisor.js';
import type { Logger } from '../util/logger.js';
import type { FrameObserver } from '../telemetry/frame.js';
import type { ClientRouter } from './client-router.js';
import { FrameTap } from './frame-tap.js';
import { PendingRequests, settle, timeoutReason, type Pending } from './pending-requests.js';
import { ServerRequests, pickTarget } from './server-request-target.js';
import { SharedSessionState, isLogLevel } from './shared-state.js';
import { StartQueue } from './start-queue.js';
import type { DownstreamSession } from './session.js';
import { defaultRouterOptions, type RouterOptions } from './router-options.js';
import { filterToolList, toolAllowed } from './tool-filter.js';

/**
 * Routes the client sessions of one child. Each session keeps its own id space: ids and progress tokens are
 * rewritten to unique upstream numbers on the way up and restored on the way down, so a response can only ever
 * reach the session whose request it answers.
 *
 * Shared (the default): Switchboard is the child's one client. It initializes the child once, declaring only
 * what it can honour, answers later clients' `initialize` from the cache, and keeps per-session what a child
 * would keep per client (log level, subscriptions, task ownership). Exclusive (per-session): the child belongs
 * to one session, is initialized with that client's own `initialize`, and everything passes one to one.
 */
export class SessionRouter implements SupervisedPeer, ClientRouter {
  private readonly sessions = new Set<DownstreamSession>();
  private readonly pending = new PendingRequests();
  private readonly serverRequests = new ServerRequests();
  private readonly shared = new SharedSessionState();
  private readonly queued: StartQueue;
  private ready = false;
  private initResult: InitializeResult | null = null;
  private initializedOnce = false;
  private readonly timer: NodeJS.Timeout;
  private readonly tap: FrameTap;
  readonly options: RouterOptions;

  constructor(
    readonly name: string,
    private readonly supervisor: ServerSupervisor,
    private readonly logger: Logger,
    options: Partial<RouterOptions> = {},
  ) {
    this.options = { ...defaultRouterOptions, ...options };
    this.tap = new FrameTap(name);
    this.queued = new StartQueue(this.options.maxQueuedWhileStarting);
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

  private get exclusive(): boolean {
    return this.options.exclusive !== undefined;
  }

  /** Watches every frame to and from the child (telemetry). One observer; null turns it off. */
  observe(observer: FrameObserver | null): void {
    this.tap.observer = observer;
  }

  attach(session: DownstreamSession): void {
    this.sessions.add(session);
  }

  /** A session ended: cancel its requests upstream, answer what the child asked it, let go of its state. */
  detach(session: DownstreamSession, reason = 'client disconnected'): void {
    if (!this.sessions.delete(session)) return;
    this.tap.sessionClosed(session);
    for (const upId of session.inflight.values()) {
      this.pending.delete(upId);
      this.sendUp({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upId, reason } });
    }
    session.inflight.clear();
    for (const childId of this.serverRequests.dropSession(session)) {
      this.sendUp(errorResponse(childId, ErrorCode.InternalError, `the client session ended: ${reason}`));
    }
    this.queued.drop(session);
    if (this.exclusive) return;
    for (const uri of this.shared.dropSession(session)) this.internal('resources/unsubscribe', { uri });
    this.applyLevel(this.shared.retarget(this.sessions));
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** Switchboard's own request to the child (health pings, the aggregate's lists). */
  request(method: string, params: Record<string, unknown> = {}, timeoutMs = this.options.requestTimeoutMs) {
    return new Promise<unknown>((resolve, reject) => {
      const id = this.pending.nextUpId();
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

  /** A request of Switchboard's whose answer nobody waits for; a failure is only logged. */
  private internal(method: string, params: Record<string, unknown>): void {
    if (!this.ready) return;
    this.request(method, params).catch((err: Error) =>
      this.logger.debug(`${method} on behalf of the sessions failed`, { server: this.name, error: err.message }),
    );
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
      return refuse(session, msg.id, ErrorCode.InvalidRequest, `request id ${describeId(msg.id)} is already in flight`);
    }
    if (msg.method === 'tools/call' && !toolAllowed(this.options.toolFilter, String(msg.params?.name))) {
      const why = `tool ${JSON.stringify(msg.params?.name)} is disabled for this server in Switchboard`;
      return refuse(session, msg.id, ErrorCode.InvalidParams, why);
    }
    if (!this.exclusive && this.keptBySwitchboard(session, msg)) return;
    if (!this.ready) return this.queueOrRefuse(session, msg);
    this.forward(session, msg);
  }

  /**
   * Per-session state of a shared child, kept here: true when the request was answered without the child (or
   * refused), false when it goes on to the child.
   */
  private keptBySwitchboard(session: DownstreamSession, msg: JsonRpcRequest): boolean {
    const params = msg.params ?? {};
    const answer = () => session.deliver({ jsonrpc: '2.0', id: msg.id, result: {} }, msg.id);
    switch (msg.method) {
      case 'logging/setLevel': {
        if (!isLogLevel(params.level)) return false; // the child says what is wrong with it
        this.applyLevel(this.shared.setLevel(session, params.level, this.sessions));
        answer();
        return true;
      }
      case 'resources/subscribe':
        if (typeof params.uri !== 'string' || this.shared.subscribe(session, params.uri)) return false;
        answer();
        return true;
      case 'resources/unsubscribe':
        if (typeof params.uri !== 'string' || this.shared.unsubscribe(session, params.uri)) return false;
        answer(); // another session still subscribes, or this one never did: the child keeps its subscription
        return true;
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel':
        if (this.shared.taskOwner(params.taskId) === session) return false;
        refuse(session, msg.id, ErrorCode.InvalidParams, `Unknown task: ${String(params.taskId)}`);
        return true;
      default:
        return false;
    }
  }

  /** Sets the child's level to the most verbose any session asked for, when that changed. */
  private applyLevel(level: string | null): void {
    if (level) this.internal('logging/setLevel', { level });
  }

  private forward(session: DownstreamSession, msg: JsonRpcRequest): void {
    const clientId = msg.id;
    const upId = this.pending.nextUpId();
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
    if (this.exclusive && typeof msg.params?.uri === 'string') {
      if (msg.method === 'resources/subscribe') session.subscriptions.add(msg.params.uri);
      if (msg.method === 'resources/unsubscribe') session.subscriptions.delete(msg.params.uri);
    }
    this.pending.set(upId, entry);
    session.inflight.set(clientId, upId);
    msg.id = upId;
    if (!this.sendUp(msg, session, clientId)) {
      this.pending.delete(upId);
      session.inflight.delete(clientId);
      const why = `server '${this.name}' is not accepting input (${this.supervisor.state.state})`;
      refuse(session, clientId, ErrorCode.ServerUnavailable, why);
    }
  }

  private queueOrRefuse(session: DownstreamSession, msg: JsonRpcRequest): void {
    const { state, reason } = this.supervisor.state;
    const waiting =
      state === 'starting' || state === 'installing' || state === 'backoff' || (state === 'running' && !this.ready);
    if (!waiting) {
      return refuse(session, msg.id, ErrorCode.ServerUnavailable, `server '${this.name}' is ${state}: ${reason}`);
    }
    if (!this.queued.push({ session, msg })) {
      const why = `server '${this.name}' is ${state} and ${this.queued.length} requests are already waiting`;
      refuse(session, msg.id, ErrorCode.Overloaded, why);
    }
  }

  private rejectQueued(reason: string): void {
    for (const { session, msg } of this.queued.takeAll()) {
      refuse(session, msg.id, ErrorCode.ServerUnavailable, `server '${this.name}' did not start: ${reason}`);
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
        return refuse(session, msg.id, ErrorCode.ServerUnavailable, (err as Error).message);
      }
    }
    const cached = this.initResult!;
    // An exclusive child negotiated with this client itself: its answer passes as it is.
    const result = this.exclusive ? cached : { ...cached, protocolVersion: session.protocolVersion };
    if (this.exclusive) session.protocolVersion = cached.protocolVersion;
    session.deliver({ jsonrpc: '2.0', id: msg.id, result }, msg.id);
  }

  private clientNotification(session: DownstreamSession, msg: JsonRpcMessage): void {
    switch (msg.method) {
      case 'notifications/initialized':
        return; // Switchboard sent the child its own after the handshake
      case 'notifications/cancelled': {
        const clientId = msg.params?.requestId as JsonRpcId;
        const upId = session.inflight.get(clientId);
        if (upId === undefined) return;
        session.inflight.delete(clientId);
        this.pending.delete(upId); // a late answer is dropped
        session.release(clientId, String(msg.params?.reason ?? 'cancelled by the client'));
        this.sendUp({ ...msg, params: { ...msg.params, requestId: upId } }, session);
        return;
      }
      case 'notifications/roots/list_changed':
        // A shared child's roots are Switchboard's (configured on the server), not any one client's.
        if (!this.exclusive) return;
        return void this.sendUp(msg, session);
      default:
        this.sendUp(msg, session);
    }
  }

  private clientResponse(session: DownstreamSession, msg: JsonRpcMessage): void {
    const id = msg.id as JsonRpcId;
    if (this.serverRequests.answer(id, session)) return void this.sendUp(msg, session, id);
    this.logger.debug('dropped a response to a request this session was not sent', {
      server: this.name,
      session: session.id,
    });
  }

  // ---- server → client -------------------------------------------------------------------------------------

  /**
   * A large line from the child, as bytes (line-framer.ts): a response goes on as those bytes with its id swapped
   * (raw-response.ts). Anything else, or anything the scan is unsure of, returns false and comes back as text.
   */
  onLargeMessage(bytes: Buffer): boolean {
    const peeked = peekResponse(bytes);
    if (!peeked) return false;
    this.serverResponse(new RawResponse(bytes, peeked));
    return true;
  }

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
    this.logger.warn(`dropped a ${info.size}-byte message over the size cap`, { server: this.name });
    const id = oversizedResponseId(info);
    const why = `the server's answer was ${info.size} bytes, over the message size cap`;
    if (id !== null) this.serverResponse(errorResponse(id, ErrorCode.MessageTooLarge, why));
  }

  private serverResponse(response: JsonRpcMessage, line?: string): void {
    const entry = this.pending.take(response.id as number);
    if (!entry) return; // cancelled or timed out: a late answer goes nowhere
    const raw = response instanceof RawResponse ? response : null;
    if (raw || line !== undefined) {
      const extra = {
        method: entry.method,
        clientId: entry.clientId,
        isError: raw ? raw.isError : response.error !== undefined,
        latencyMs: performance.now() - entry.sentAt,
      };
      if (raw) this.tap.downRaw(raw, entry.session, extra);
      else this.tap.down(line!, 'response', entry.session, extra);
    }
    const filterTools = entry.method === 'tools/list' && this.options.toolFilter;
    // Forwarded as text only to a transport, and only when nothing below changes the message.
    const keepRaw = raw && entry.session?.acceptsRawJson && !filterTools && entry.method !== 'tasks/list';
    const msg = raw && !keepRaw ? raw.materialize() : response;
    if (filterTools) filterToolList(msg, this.options.toolFilter!);
    const hasResult = raw ? !raw.isError : msg.result !== undefined;
    // A result that names no task id has no task to note or filter: a raw one is not parsed to find that out (a \u
    // escape could spell the key, so one of those is parsed).
    const mayNameTask = !raw || raw.mentions('"taskId"') || raw.mentions('\\u');
    if (entry.session && !this.exclusive && hasResult && mayNameTask) {
      if (entry.method === 'tasks/list') this.shared.filterTaskList(entry.session, msg);
      else this.shared.noteTask(entry.session, msg);
    }
    settle(entry, msg);
  }

  private serverNotification(msg: JsonRpcMessage, line: string): void {
    const params = msg.params ?? {};
    const owner =
      msg.method === 'notifications/progress' ? this.pending.get(params.progressToken as number) : undefined;
    this.tap.down(line, 'notification', owner?.session ?? null, { method: msg.method, clientId: owner?.clientId });
    switch (msg.method) {
      case 'notifications/progress': {
        const entry = owner;
        if (!entry?.session || entry.clientProgressToken === undefined) return;
        entry.deadline = Math.min(
          Date.now() + this.options.requestTimeoutMs,
          entry.startedAt + this.options.maxRequestTimeoutMs,
        );
        params.progressToken = entry.clientProgressToken;
        return entry.session.deliver(msg, entry.clientId);
      }
      case 'notifications/cancelled':
        return this.serverRequests.withdraw(params.requestId as JsonRpcId)?.deliver(msg);
      case 'notifications/resources/updated':
        for (const s of this.sessions) if (s.subscriptions.has(params.uri as string)) s.deliver(msg);
        return;
      case 'notifications/message':
        for (const s of this.sessions) if (this.exclusive || this.shared.wantsLog(s, params.level)) s.deliver(msg);
        return;
      case 'notifications/tasks/status':
        if (!this.exclusive) return void this.shared.relatedTaskOwner(msg)?.deliver(msg);
        for (const s of this.sessions) s.deliver(msg);
        return;
      default:
        // list_changed and the like concern every session.
        for (const s of this.sessions) s.deliver(msg);
    }
  }

  private serverRequest(msg: JsonRpcRequest, line: string): void {
    if (msg.method === 'ping') {
      this.tap.down(line, 'request', null, { method: msg.method, clientId: msg.id });
      return void this.sendUp({ jsonrpc: '2.0', id: msg.id, result: {} });
    }
    if (msg.method === 'roots/list' && !this.exclusive) {
      // A shared child was offered Switchboard's roots (configured on the server), never one client's.
      this.tap.down(line, 'request', null, { method: msg.method, clientId: msg.id });
      if (this.options.roots.length === 0) {
        const why = 'Switchboard offered this shared server no roots (configure roots on the server)';
        return void this.sendUp(errorResponse(msg.id, ErrorCode.MethodNotFound, why));
      }
      return void this.sendUp({ jsonrpc: '2.0', id: msg.id, result: { roots: this.options.roots } });
    }
    if (!this.exclusive) this.options.onServerRequest?.(msg.method);
    const decision = pickTarget(msg, {
      sessions: this.sessions,
      taskOwner: this.exclusive ? undefined : this.shared.relatedTaskOwner(msg),
      internalInFlight: this.pending.internalCount(),
      exclusive: this.exclusive,
    });
    const target = decision.ok ? decision.target : null;
    this.tap.down(line, 'request', target?.session ?? null, { method: msg.method, clientId: msg.id });
    if (!decision.ok) {
      this.logger.info(`refused a server→client request: ${decision.why}`, { server: this.name, method: msg.method });
      const code = decision.ambiguous ? ErrorCode.InternalError : ErrorCode.MethodNotFound;
      return void this.sendUp(errorResponse(msg.id, code, decision.why));
    }
    this.serverRequests.track(msg.id, target!.session, Date.now() + this.options.serverRequestTimeoutMs);
    target!.session.deliver(msg, target!.relatedTo);
  }

  // ---- lifecycle (called by the supervisor) ----------------------------------------------------------------

  /** `timeoutMs`: the supervisor's allowance (minutes for a package runner that is still installing). */
  async handshake(timeoutMs?: number): Promise<void> {
    this.ready = false;
    const result = (await this.request('initialize', this.initializeParams(), timeoutMs)) as InitializeResult;
    this.initResult = result;
    this.sendUp({ jsonrpc: '2.0', method: 'notifications/initialized' });
    this.ready = true;
    if (!this.exclusive) this.restoreSharedState();
    if (this.initializedOnce) this.announceRestart();
    this.initializedOnce = true;
    for (const { session, msg } of this.queued.takeAll()) if (this.sessions.has(session)) this.forward(session, msg);
  }

  /** What the child is told its client is: the one client itself (exclusive), or Switchboard with what it honours. */
  private initializeParams(): Record<string, unknown> {
    if (this.options.exclusive) return this.options.exclusive.initialize;
    const capabilities: Record<string, unknown> = { sampling: {}, elicitation: {} };
    if (this.options.roots.length > 0) capabilities.roots = { listChanged: false };
    return {
      protocolVersion: latestProtocolVersion,
      capabilities,
      clientInfo: { name: 'mcp-switchboard', version: '0.1.0' },
    };
  }

  onExit(reason: string): void {
    this.ready = false;
    for (const entry of this.pending.drain()) {
      const why = `${reason} while the request was in flight`;
      this.settleWithError(entry, errorResponse(entry.clientId, ErrorCode.ServerUnavailable, why));
    }
    this.serverRequests.clear();
  }

  /** A new child is given what the sessions had set on the old one (log level, subscriptions). */
  private restoreSharedState(): void {
    this.shared.forgetChildLevel();
    this.applyLevel(this.shared.retarget(this.sessions));
    for (const uri of this.shared.subscribedUris()) this.internal('resources/subscribe', { uri });
  }

  /** After a restart the new child may list other things: tell every session to list again. */
  private announceRestart(): void {
    const caps = (this.initResult?.capabilities ?? {}) as Record<string, { listChanged?: boolean } | undefined>;
    for (const kind of ['tools', 'resources', 'prompts']) {
      if (!caps[kind]) continue;
      for (const s of this.sessions) s.deliver({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` });
    }
  }

  /** Answers a request with the gateway's own error, recorded as the answer the client got (traffic pairs it). */
  private settleWithError(entry: Pending, msg: JsonRpcMessage): void {
    if (entry.session) {
      this.tap.down(JSON.stringify(msg), 'response', entry.session, {
        method: entry.method,
        clientId: entry.clientId,
        isError: true,
        latencyMs: performance.now() - entry.sentAt,
      });
    }
    settle(entry, msg);
  }

  private sendUp(msg: JsonRpcMessage, session: DownstreamSession | null = null, clientId?: JsonRpcId): boolean {
    const line = JSON.stringify(msg);
    const sent = this.supervisor.send(line);
    if (sent) this.tap.up(msg, line, session, clientId);
    return sent;
  }

  private expireRequests(): void {
    const now = Date.now();
    for (const [upId, entry] of this.pending.takeExpired(now)) {
      const why = timeoutReason(entry, now, this.options.maxRequestTimeoutMs);
      this.sendUp({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upId, reason: why } });
      this.settleWithError(entry, errorResponse(entry.clientId, ErrorCode.RequestTimeout, why));
    }
    for (const [childId, session] of this.serverRequests.takeExpired(now)) {
      const why = `the client did not answer within ${this.options.serverRequestTimeoutMs / 1000} s`;
      session.deliver({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: childId, reason: why },
      });
      this.sendUp(errorResponse(childId, ErrorCode.RequestTimeout, why));
    }
  }
}

/** Answers a client's request with an error on the request's own stream. */
function refuse(session: DownstreamSession, id: JsonRpcId, code: number, message: string): void {
  session.deliver(errorResponse(id, code, message), id);
}
