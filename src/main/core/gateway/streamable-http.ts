import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, classify, errorResponse, type JsonRpcId, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { supportedProtocolVersions } from '../protocol/versions.js';
import type { ClientRouter } from '../router/client-router.js';
import { createSessionState, type DownstreamSession } from '../router/session.js';
import type { Logger } from '../util/logger.js';
import { HttpError, accepts, parseJsonBody, readBody } from './http-util.js';
import { TokenBucket } from './rate-limit.js';
import type { SseStream, SseStreams } from './streams.js';

export interface EndpointLimits {
  maxBodyBytes: number;
  maxSessions: number;
  rate: { perSecond: number; burst: number };
  /** A session with no open stream and nothing in flight for this long is closed (clients that never DELETE). */
  sessionIdleMs: number;
}

/**
 * One POST waiting for its response. It answers as plain JSON when nothing else comes first (cheapest, and
 * allowed by the spec); it turns into an SSE stream only when the server sends something about this request
 * before the answer (progress, a sampling request).
 */
class Exchange {
  private stream: SseStream | null = null;
  done = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
    private readonly canStream: boolean,
    private readonly streams: SseStreams,
    private readonly onOverflow: () => void,
  ) {}

  /** Returns false when this exchange cannot carry `msg` (the client accepts no stream). */
  send(msg: JsonRpcMessage, final: boolean): boolean {
    if (this.done) return false;
    const data = JSON.stringify(msg);
    if (final) this.done = true;
    if (!this.stream) {
      if (final) {
        this.res.writeHead(200, {
          ...this.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
        });
        this.res.end(data);
        return true;
      }
      if (!this.canStream) return false;
      this.stream = this.streams.start(this.res, this.headers, this.onOverflow);
    }
    this.stream.send(data);
    if (final) this.stream.end();
    return true;
  }
}

class StreamableSession implements DownstreamSession {
  readonly transport = 'streamable-http' as const;
  readonly inflight;
  readonly subscriptions;
  readonly exchanges = new Map<JsonRpcId, Exchange>();
  readonly bucket: TokenBucket;
  standalone: SseStream | null = null;
  lastActive = Date.now();
  clientInfo?: DownstreamSession['clientInfo'];
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;

  constructor(
    readonly id: string,
    limits: EndpointLimits,
    private readonly logger: Logger,
  ) {
    ({ inflight: this.inflight, subscriptions: this.subscriptions } = createSessionState());
    this.bucket = new TokenBucket(limits.rate.perSecond, limits.rate.burst);
  }

  deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    if (relatedTo !== undefined) {
      const exchange = this.exchanges.get(relatedTo);
      const final = msg.method === undefined && msg.id === relatedTo;
      if (exchange?.send(msg, final)) {
        if (final) this.exchanges.delete(relatedTo);
        return;
      }
      if (final) return; // the POST is gone: its answer has nowhere to go
    }
    if (this.standalone?.isOpen) this.standalone.send(JSON.stringify(msg));
    else this.logger.debug('no open stream for a message; dropped', { session: this.id, method: msg.method });
  }

  /** Idle: nothing open, nothing pending, and no request for `idleMs`. */
  idleSince(now: number, idleMs: number): boolean {
    return (
      now - this.lastActive > idleMs &&
      !this.standalone?.isOpen &&
      this.exchanges.size === 0 &&
      this.inflight.size === 0
    );
  }

  close(): void {
    this.standalone?.end();
    for (const ex of this.exchanges.values()) ex.done = true;
    this.exchanges.clear();
  }
}

/** The Streamable HTTP transport (MCP 2025-03-26 and later) for one server: POST, GET stream, DELETE. */
export class StreamableHttpEndpoint {
  private readonly sessions = new Map<string, StreamableSession>();

  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly router: ClientRouter,
    private readonly streams: SseStreams,
    private readonly limits: EndpointLimits,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(60_000, Math.max(limits.sessionIdleMs / 4, 10)));
    this.sweeper.unref();
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (!session.idleSince(now, this.limits.sessionIdleMs)) continue;
      this.logger.info('closed an idle session', { session: session.id, idleMs: now - session.lastActive });
      this.close(session, 'idle');
    }
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !supportedProtocolVersions.includes(version)) {
      throw new HttpError(
        400,
        `Bad Request: unsupported MCP-Protocol-Version ${version} (supported: ${supportedProtocolVersions.join(', ')})`,
      );
    }
    if (req.method === 'POST') return this.post(req, res, cors);
    if (req.method === 'GET') return this.get(req, res, cors);
    if (req.method === 'DELETE') return this.delete(req, res, cors);
    throw new HttpError(405, 'Method Not Allowed', ErrorCode.InvalidRequest, { allow: 'GET, POST, DELETE, OPTIONS' });
  }

  private sessionFor(req: IncomingMessage): StreamableSession {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string' || id === '') throw new HttpError(400, 'Bad Request: Mcp-Session-Id header is required');
    const session = this.sessions.get(id);
    if (!session)
      throw new HttpError(404, 'Session not found: it ended or never existed; send initialize again', -32001);
    return session;
  }

  private async post(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    if (!accepts(req, 'application/json') && !accepts(req, 'text/event-stream')) {
      throw new HttpError(406, 'Not Acceptable: accept application/json and text/event-stream');
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.includes('application/json')) throw new HttpError(415, 'Unsupported Media Type: send application/json');
    const body = parseJsonBody(await readBody(req, this.limits.maxBodyBytes));
    if (Array.isArray(body)) {
      throw new HttpError(
        400,
        'Bad Request: JSON-RPC batches are not accepted on this endpoint; send one message per POST',
      );
    }
    const kind = classify(body);
    if (kind === 'invalid')
      throw new HttpError(400, 'Invalid Request: not a JSON-RPC 2.0 message', ErrorCode.InvalidRequest);
    const msg = body as JsonRpcMessage;

    let session: StreamableSession;
    if (kind === 'request' && msg.method === 'initialize' && req.headers['mcp-session-id'] === undefined) {
      if (this.sessions.size >= this.limits.maxSessions) {
        throw new HttpError(503, `Service Unavailable: ${this.sessions.size} sessions are open`, ErrorCode.Overloaded, {
          'retry-after': '5',
        });
      }
      session = new StreamableSession(randomUUID(), this.limits, this.logger);
      this.sessions.set(session.id, session);
    } else session = this.sessionFor(req);

    if (!session.bucket.take()) {
      throw new HttpError(429, 'Too Many Requests', ErrorCode.Overloaded, {
        'retry-after': String(session.bucket.retryAfterSeconds()),
      });
    }
    if (kind !== 'request') {
      this.router.fromClient(session, msg);
      res.writeHead(202, cors).end();
      return;
    }
    const id = msg.id as JsonRpcId;
    if (session.exchanges.has(id)) {
      const body = JSON.stringify(
        errorResponse(id, ErrorCode.InvalidRequest, `request id ${JSON.stringify(id)} is already in flight`),
      );
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(body);
      return;
    }
    const headers = { ...cors, 'mcp-session-id': session.id };
    const exchange = new Exchange(res, headers, accepts(req, 'text/event-stream'), this.streams, () =>
      this.overflow(session),
    );
    session.exchanges.set(id, exchange);
    res.on('close', () => {
      // The client hung up before its answer: per spec this is not a cancel, but the answer has nowhere to go.
      if (!exchange.done && session.exchanges.get(id) === exchange) session.exchanges.delete(id);
    });
    this.router.fromClient(session, msg);
  }

  private get(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    if (!accepts(req, 'text/event-stream'))
      throw new HttpError(406, 'Not Acceptable: a GET stream needs Accept: text/event-stream');
    const session = this.sessionFor(req);
    if (session.standalone?.isOpen) throw new HttpError(409, 'Conflict: this session already has an open GET stream');
    session.standalone = this.streams.start(res, { ...cors, 'mcp-session-id': session.id }, () =>
      this.overflow(session),
    );
  }

  private delete(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    const session = this.sessionFor(req);
    this.close(session, 'client ended the session');
    res.writeHead(200, cors).end();
  }

  private overflow(session: StreamableSession): void {
    this.logger.warn('closed a session whose client is not reading its stream', { session: session.id });
    this.close(session, 'client could not keep up');
  }

  private close(session: StreamableSession, reason: string): void {
    if (!this.sessions.delete(session.id)) return;
    this.router.detach(session, reason);
    session.close();
  }

  closeAll(): void {
    clearInterval(this.sweeper);
    for (const s of [...this.sessions.values()]) this.close(s, 'gateway shutting down');
  }
}
