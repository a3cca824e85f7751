import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, classify, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { createSessionState, type DownstreamSession } from '../router/session.js';
import type { Logger } from '../util/logger.js';
import { HttpError, parseJsonBody, readBody } from './http-util.js';
import { TokenBucket } from './rate-limit.js';
import type { EndpointLimits, TransportRouter } from './streamable-http.js';
import type { SseStream, SseStreams } from './streams.js';

class SseSession implements DownstreamSession {
  readonly transport = 'sse' as const;
  readonly inflight;
  readonly subscriptions;
  readonly bucket: TokenBucket;
  clientInfo?: DownstreamSession['clientInfo'];
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;

  constructor(
    readonly id: string,
    readonly stream: SseStream,
    limits: EndpointLimits,
  ) {
    ({ inflight: this.inflight, subscriptions: this.subscriptions } = createSessionState());
    this.bucket = new TokenBucket(limits.rate.perSecond, limits.rate.burst);
  }

  deliver(msg: JsonRpcMessage): void {
    this.stream.send(JSON.stringify(msg));
  }
}

/** The legacy HTTP+SSE transport (MCP 2024-11-05): a GET stream that names its POST endpoint first. */
export class LegacySseEndpoint {
  private readonly sessions = new Map<string, SseSession>();

  constructor(
    private readonly router: TransportRouter,
    private readonly streams: SseStreams,
    private readonly limits: EndpointLimits,
    private readonly logger: Logger,
    /** Where clients POST, e.g. /servers/memory/messages */
    private readonly messagesPath: string,
  ) {}

  get sessionCount(): number {
    return this.sessions.size;
  }

  open(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    if (req.method !== 'GET')
      throw new HttpError(405, 'Method Not Allowed: open the stream with GET', ErrorCode.InvalidRequest, {
        allow: 'GET',
      });
    if (this.sessions.size >= this.limits.maxSessions) {
      throw new HttpError(503, `Service Unavailable: ${this.sessions.size} sessions are open`, ErrorCode.Overloaded, {
        'retry-after': '5',
      });
    }
    const id = randomUUID();
    const stream = this.streams.start(res, cors, () => {
      this.logger.warn('closed an SSE session whose client is not reading', { session: id });
      stream.end();
    });
    const session = new SseSession(id, stream, this.limits);
    this.sessions.set(id, session);
    stream.onClose(() => {
      this.sessions.delete(id);
      this.router.detach(session, 'client disconnected');
    });
    stream.send(`${this.messagesPath}?sessionId=${id}`, 'endpoint');
  }

  async post(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void> {
    if (req.method !== 'POST')
      throw new HttpError(405, 'Method Not Allowed', ErrorCode.InvalidRequest, { allow: 'POST' });
    const id = url.searchParams.get('sessionId');
    if (!id) throw new HttpError(400, 'Bad Request: the sessionId query parameter is required');
    const session = this.sessions.get(id);
    if (!session) throw new HttpError(404, 'Session not found: open a new stream', -32001);
    const body = parseJsonBody(await readBody(req, this.limits.maxBodyBytes));
    if (Array.isArray(body))
      throw new HttpError(400, 'Bad Request: JSON-RPC batches are not accepted; send one message per POST');
    if (classify(body) === 'invalid') throw new HttpError(400, 'Invalid Request: not a JSON-RPC 2.0 message');
    if (!session.bucket.take()) {
      throw new HttpError(429, 'Too Many Requests', ErrorCode.Overloaded, {
        'retry-after': String(session.bucket.retryAfterSeconds()),
      });
    }
    this.router.fromClient(session, body as JsonRpcMessage);
    res.writeHead(202, { ...cors, 'content-type': 'text/plain' }).end('Accepted');
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.stream.end();
  }
}
