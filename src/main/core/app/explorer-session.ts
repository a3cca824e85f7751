import type { ExplorerAnswer, ExplorerEvent, ExplorerServerInfo } from '../../../shared/app-api.js';
import { ErrorCode, type JsonRpcId, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { latestProtocolVersion } from '../protocol/versions.js';
import type { ClientRouter } from '../router/client-router.js';
import type { ClientInfo, DownstreamSession } from '../router/session.js';

/** A root the server may ask for with `roots/list` (the server's configured `options.roots`). */
export interface ExplorerRoot {
  uri: string;
  name?: string;
}

export interface ExplorerSessionOptions {
  server: string;
  router: ClientRouter;
  roots: () => ExplorerRoot[];
  emit: (event: ExplorerEvent) => void;
}

/** A failed explorer request: the JSON-RPC error the server (or the router on its behalf) answered with. */
export class ExplorerCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExplorerCallError';
  }
}

interface Waiting {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: ExplorerCallError) => void;
  callId?: string;
}

const JOIN_ID = 'explorer:join';

/**
 * The dashboard's explorer as an ordinary client session of one server's router (transport 'internal'). It
 * declares sampling, elicitation and roots, so a server that asks for them while serving an explorer call asks
 * this session, and the router's usual rules (own id space, progress tokens, cancellation, timeouts, a child
 * that dies answering everything in flight) apply to it exactly as to a remote client.
 */
export class ExplorerSession implements DownstreamSession {
  readonly id: string;
  readonly transport = 'internal' as const;
  readonly inflight = new Map<JsonRpcId, number>();
  readonly subscriptions = new Set<string>();
  clientInfo?: ClientInfo;
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;
  /** Last time the page used this session (the owner closes idle ones). */
  lastUsed = Date.now();
  private readonly waiting = new Map<JsonRpcId, Waiting>();
  /** Server→client requests the user has not answered: the id the page sees → the server's id. */
  private readonly questions = new Map<string, { id: JsonRpcId; callId?: string }>();
  private nextId = 1;
  private nextQuestion = 1;
  private closed = false;
  readonly joined: Promise<ExplorerServerInfo>;

  constructor(
    private readonly o: ExplorerSessionOptions,
    sequence: number,
  ) {
    this.id = `explorer:${o.server}:${sequence}`;
    this.joined = new Promise<Record<string, unknown>>((resolve, reject) =>
      this.waiting.set(JOIN_ID, { resolve, reject }),
    ).then((result) => ({
      serverInfo: (result.serverInfo as ExplorerServerInfo['serverInfo']) ?? null,
      protocolVersion: typeof result.protocolVersion === 'string' ? result.protocolVersion : null,
      capabilities: (result.capabilities as Record<string, unknown>) ?? {},
      ...(typeof result.instructions === 'string' ? { instructions: result.instructions } : {}),
    }));
    // Nobody may be awaiting yet; the failure is read through `joined` when someone does.
    this.joined.catch(() => undefined);
    o.router.fromClient(this, {
      jsonrpc: '2.0',
      id: JOIN_ID,
      method: 'initialize',
      params: {
        protocolVersion: latestProtocolVersion,
        capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
        clientInfo: { name: 'switchboard-explorer', version: '0.1.0' },
      },
    });
  }

  get router(): ClientRouter {
    return this.o.router;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a request and waits for its answer. With `callId`, progress is asked for and reported under it. */
  request(method: string, params: Record<string, unknown> = {}, callId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new ExplorerCallError(ErrorCode.ServerUnavailable, 'the explorer left'));
    this.lastUsed = Date.now();
    const id = callId ?? `e-${this.nextId++}`;
    if (this.waiting.has(id)) {
      return Promise.reject(new ExplorerCallError(ErrorCode.InvalidRequest, `call ${id} is already running`));
    }
    const sent = callId ? { ...params, _meta: { ...(params._meta as object), progressToken: callId } } : params;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, callId });
      this.o.router.fromClient(this, { jsonrpc: '2.0', id, method, params: sent });
    });
  }

  /** The user pressed Cancel: the server is told, and the call fails now rather than when (if) it answers. */
  cancel(callId: string): boolean {
    const entry = this.waiting.get(callId);
    if (!entry) return false;
    this.lastUsed = Date.now();
    this.o.router.fromClient(this, {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: callId, reason: 'cancelled in the dashboard' },
    });
    this.settle(callId, { jsonrpc: '2.0', id: callId, error: { code: ErrorCode.Cancelled, message: 'cancelled' } });
    return true;
  }

  /** The user's answer to a sampling or elicitation request. */
  answer(requestId: string, answer: ExplorerAnswer): boolean {
    const question = this.questions.get(requestId);
    if (!question) return false;
    this.questions.delete(requestId);
    this.lastUsed = Date.now();
    const reply: JsonRpcMessage =
      'result' in answer
        ? { jsonrpc: '2.0', id: question.id, result: answer.result }
        : { jsonrpc: '2.0', id: question.id, error: answer.error };
    this.o.router.fromClient(this, reply);
    return true;
  }

  // ---- DownstreamSession: what the router hands this session ---------------------------------------------

  deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    if (this.closed) return;
    if (msg.method === undefined) return this.settle(msg.id as JsonRpcId, msg);
    if (msg.id !== undefined && msg.id !== null) return this.serverRequest(msg, relatedTo);
    const params = msg.params ?? {};
    if (msg.method === 'notifications/progress') {
      const token = params.progressToken;
      if (typeof token !== 'string' || !this.waiting.has(token)) return;
      this.o.emit({
        kind: 'progress',
        server: this.o.server,
        callId: token,
        progress: Number(params.progress),
        ...(typeof params.total === 'number' ? { total: params.total } : {}),
        ...(typeof params.message === 'string' ? { message: params.message } : {}),
      });
    } else if (msg.method === 'notifications/cancelled') {
      for (const [pageId, q] of this.questions) {
        if (q.id !== params.requestId) continue;
        this.questions.delete(pageId);
        this.closeQuestion(pageId, `the server withdrew its request${params.reason ? `: ${params.reason}` : ''}`);
      }
    }
    // Logging and list_changed notifications concern the page only through a refresh the user asks for.
  }

  canReceive(): boolean {
    return !this.closed;
  }

  release(clientId: JsonRpcId, reason: string): void {
    this.settle(clientId, { jsonrpc: '2.0', id: clientId, error: { code: ErrorCode.Cancelled, message: reason } });
  }

  /** Leaves the router; every call still waiting fails with `reason`. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.o.router.detach(this, reason);
    for (const w of this.waiting.values()) w.reject(new ExplorerCallError(ErrorCode.ServerUnavailable, reason));
    this.waiting.clear();
    for (const pageId of this.questions.keys()) this.closeQuestion(pageId, reason);
    this.questions.clear();
  }

  private settle(id: JsonRpcId, msg: JsonRpcMessage): void {
    const entry = this.waiting.get(id);
    if (!entry) return; // cancelled, or a late answer
    this.waiting.delete(id);
    if (entry.callId) {
      // A question asked while serving this call cannot be answered usefully once the call is over.
      for (const [pageId, q] of this.questions) {
        if (q.callId !== entry.callId) continue;
        this.questions.delete(pageId);
        this.closeQuestion(pageId, 'the call it belonged to has ended');
      }
    }
    if (msg.error) entry.reject(new ExplorerCallError(msg.error.code, msg.error.message));
    else entry.resolve((msg.result as Record<string, unknown>) ?? {});
  }

  private serverRequest(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    const id = msg.id as JsonRpcId;
    if (msg.method === 'roots/list') {
      const roots = this.o.roots().map((r) => ({ uri: r.uri, ...(r.name ? { name: r.name } : {}) }));
      return this.o.router.fromClient(this, { jsonrpc: '2.0', id, result: { roots } });
    }
    if (msg.method !== 'sampling/createMessage' && msg.method !== 'elicitation/create') {
      const error = { code: ErrorCode.MethodNotFound, message: `the explorer does not handle ${msg.method}` };
      return this.o.router.fromClient(this, { jsonrpc: '2.0', id, error });
    }
    const requestId = `q-${this.nextQuestion++}`;
    const callId = typeof relatedTo === 'string' && this.waiting.get(relatedTo)?.callId ? relatedTo : undefined;
    this.questions.set(requestId, { id, callId });
    this.o.emit({
      kind: 'request',
      server: this.o.server,
      requestId,
      method: msg.method,
      params: msg.params ?? {},
      ...(callId ? { callId } : {}),
    });
  }

  private closeQuestion(requestId: string, reason: string): void {
    this.o.emit({ kind: 'requestClosed', server: this.o.server, requestId, reason });
  }
}
