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
import { oversizedResponseId, type OversizedLine } from '../protocol/line-framer.js';
import { latestProtocolVersion, negotiateProtocolVersion } from '../protocol/versions.js';
import type { ServerSupervisor, SupervisedPeer } from '../supervisor/server-supervisor.js';
import type { Logger } from '../util/logger.js';
import type { FrameObserver } from '../telemetry/frame.js';
import type { ClientRouter } from './client-router.js';
import { FrameTap } from './frame-tap.js';
import { PendingRequests, settle, timeoutReason, type Pending } from './pending-requests.js';
import { ServerRequests, capabilityFor, pickSessionFor } from './server-request-target.js';
import { StartQueue } from './start-queue.js';
import type { DownstreamSession } from './session.js';
import { defaultRouterOptions, type RouterOptions } from './router-options.js';
import { filterToolList, toolAllowed } from './tool-filter.js';

/**
 * Shares one child among many client sessions. Switchboard is the one client the child sees: it initializes
 * once and answers later clients' `initialize` from the cache. Each session keeps its own id space: ids and
 * progress tokens are rewritten to unique upstream numbers on the way up and restored on the way down, so a
 * response can only ever reach the session whose request it answers.
 */
export class SessionRouter implements SupervisedPeer, ClientRouter {
  private readonly sessions = new Set<DownstreamSession>();
  private readonly pending = new PendingRequests();
  private readonly serverRequests = new ServerRequests();
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

  /** Watches every frame to and from the child (telemetry). One observer; null turns it off. */
  observe(observer: FrameObserver | null): void {
    this.tap.observer = observer;
  }

  attach(session: DownstreamSession): void {
    this.sessions.add(session);
  }

  /** A session ended: cancel its requests upstream and answer what the child asked it with an error. */
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
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** Switchboard's own request to the child (health pings, the dashboard's explorer). */
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
      return refuse(
        session,
        msg.id,
        ErrorCode.InvalidRequest,
        `request id ${JSON.stringify(msg.id)} is already in flight`,
      );
    }
    if (msg.method === 'tools/call' && !toolAllowed(this.options.toolFilter, String(msg.params?.name))) {
      const why = `tool ${JSON.stringify(msg.params?.name)} is disabled for this server in Switchboard`;
      return refuse(session, msg.id, ErrorCode.InvalidParams, why);
    }
    if (!this.ready) return this.queueOrRefuse(session, msg);
    this.forward(session, msg);
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
      const why = `server '${this.name}' is not accepting input (${this.supervisor.state.state})`;
      refuse(session, clientId, ErrorCode.ServerUnavailable, why);
    }
  }

  private queueOrRefuse(session: DownstreamSession, msg: JsonRpcRequest): void {
    const { state, reason } = this.supervisor.state;
    const waiting = state === 'starting' || state === 'backoff' || (state === 'running' && !this.ready);
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
    if (this.serverRequests.answer(id, session)) return void this.sendUp(msg, session, id);
    this.logger.debug('dropped a response to a request this session was not sent', {
      server: this.name,
      session: session.id,
    });
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
    this.logger.warn(`dropped a ${info.size}-byte message over the size cap`, { server: this.name });
    const id = oversizedResponseId(info);
    const why = `the server's answer was ${info.size} bytes, over the message size cap`;
    if (id !== null) this.serverResponse(errorResponse(id, ErrorCode.MessageTooLarge, why));
  }

  private serverResponse(msg: JsonRpcMessage, line?: string): void {
    const entry = this.pending.take(msg.id as number);
    if (!entry) return; // cancelled or timed out: a late answer goes nowhere
    if (line !== undefined) {
      this.tap.down(line, 'response', entry.session, {
        method: entry.method,
        clientId: entry.clientId,
        isError: msg.error !== undefined,
        latencyMs: performance.now() - entry.sentAt,
      });
    }
    if (entry.method === 'tools/list' && this.options.toolFilter) filterToolList(msg, this.options.toolFilter);
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
      case 'notifications/cancelled': {
        return this.serverRequests.withdraw(params.requestId as JsonRpcId)?.deliver(msg);
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
    const target = capability ? pickSessionFor(this.sessions, capability) : null;
    this.tap.down(line, 'request', target?.session ?? null, { method: msg.method, clientId: msg.id });
    if (msg.method === 'ping') return void this.sendUp({ jsonrpc: '2.0', id: msg.id, result: {} });
    if (!target) {
      const why = capability
        ? `no connected client supports ${capability}`
        : `Switchboard does not route ${msg.method}`;
      return void this.sendUp(errorResponse(msg.id, ErrorCode.MethodNotFound, why));
    }
    this.serverRequests.track(msg.id, target.session);
    target.session.deliver(msg, target.relatedTo);
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
    for (const { session, msg } of this.queued.takeAll()) if (this.sessions.has(session)) this.forward(session, msg);
  }

  onExit(reason: string): void {
    this.ready = false;
    for (const entry of this.pending.drain()) {
      settle(
        entry,
        errorResponse(entry.clientId, ErrorCode.ServerUnavailable, `${reason} while the request was in flight`),
      );
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
    if (sent) this.tap.up(msg, line, session, clientId);
    return sent;
  }

  private expireRequests(): void {
    const now = Date.now();
    for (const [upId, entry] of this.pending.takeExpired(now)) {
      const why = timeoutReason(entry, now, this.options.maxRequestTimeoutMs);
      this.sendUp({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upId, reason: why } });
      settle(entry, errorResponse(entry.clientId, ErrorCode.RequestTimeout, why));
    }
  }
}

/** Answers a client's request with an error on the request's own stream. */
function refuse(session: DownstreamSession, id: JsonRpcId, code: number, message: string): void {
  session.deliver(errorResponse(id, code, message), id);
}
