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
import type { OversizedLine } from '../protocol/line-framer.js';
import { negotiateProtocolVersion } from '../protocol/versions.js';
import type { ServerSupervisor, SupervisedPeer } from '../supervisor/server-supervisor.js';
import type { Logger } from '../util/logger.js';
import type { FrameObserver } from '../telemetry/frame.js';
import { announceRestart, initializeParams } from './child-handshake.js';
import type { ClientRouter } from './client-router.js';
import { FrameTap } from './frame-tap.js';
import { PendingRequests, type Pending } from './pending-requests.js';
import type { RouterContext } from './router-context.js';
import { ServerMessages } from './server-messages.js';
import { ServerRequests } from './server-request-target.js';
import { SharedSessionState, isLogLevel } from './shared-state.js';
import { StartQueue } from './start-queue.js';
import type { DownstreamSession } from './session.js';
import { defaultRouterOptions, type RouterOptions } from './router-options.js';
import { toolAllowed } from './tool-filter.js';
import { Unanswered } from './unanswered.js';

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
  private readonly tap: FrameTap;
  private readonly fromServer: ServerMessages;
  private readonly unanswered: Unanswered;
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
    const context: RouterContext = {
      name,
      options: this.options,
      logger,
      sessions: this.sessions,
      pending: this.pending,
      serverRequests: this.serverRequests,
      shared: this.shared,
      tap: this.tap,
      sendUp: (msg, session, clientId) => this.sendUp(msg, session, clientId),
    };
    this.fromServer = new ServerMessages(context);
    supervisor.attach(this);
    supervisor.stateChanges.on((change) => {
      if (change.state === 'failed' || change.state === 'stopped') this.rejectQueued(change.reason);
    });
    this.unanswered = new Unanswered(context);
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
    this.unanswered.dispose();
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

  // ---- server → client (server-messages.ts) -----------------------------------------------------------------

  /**
   * A large line from the child, as bytes (line-framer.ts): a response goes on as those bytes with its id swapped
   * (raw-response.ts). Anything else, or anything the scan is unsure of, returns false and comes back as text.
   */
  onLargeMessage(bytes: Buffer): boolean {
    return this.fromServer.onLargeMessage(bytes);
  }

  onMessage(line: string): void {
    this.fromServer.onMessage(line);
  }

  onOversized(info: OversizedLine): void {
    this.fromServer.onOversized(info);
  }

  // ---- lifecycle (called by the supervisor) ----------------------------------------------------------------

  /** `timeoutMs`: the supervisor's allowance (minutes for a package runner that is still installing). */
  async handshake(timeoutMs?: number): Promise<void> {
    this.ready = false;
    const result = (await this.request('initialize', initializeParams(this.options), timeoutMs)) as InitializeResult;
    this.initResult = result;
    this.sendUp({ jsonrpc: '2.0', method: 'notifications/initialized' });
    this.ready = true;
    if (!this.exclusive) this.restoreSharedState();
    if (this.initializedOnce) announceRestart(this.initResult, this.sessions);
    this.initializedOnce = true;
    for (const { session, msg } of this.queued.takeAll()) if (this.sessions.has(session)) this.forward(session, msg);
  }

  onExit(reason: string): void {
    this.ready = false;
    this.unanswered.childExited(reason);
  }

  /** A new child is given what the sessions had set on the old one (log level, subscriptions). */
  private restoreSharedState(): void {
    this.shared.forgetChildLevel();
    this.applyLevel(this.shared.retarget(this.sessions));
    for (const uri of this.shared.subscribedUris()) this.internal('resources/subscribe', { uri });
  }

  private sendUp(msg: JsonRpcMessage, session: DownstreamSession | null = null, clientId?: JsonRpcId): boolean {
    const line = JSON.stringify(msg);
    const sent = this.supervisor.send(line);
    if (sent) this.tap.up(msg, line, session, clientId);
    return sent;
  }
}

/** Answers a client's request with an error on the request's own stream. */
function refuse(session: DownstreamSession, id: JsonRpcId, code: number, message: string): void {
  session.deliver(errorResponse(id, code, message), id);
}
