import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeId, writeJson } from '../protocol/json-text.js';
import { ErrorCode, classify, errorResponse, type JsonRpcId, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { supportedProtocolVersions } from '../protocol/versions.js';
import type { ClientRouter } from '../router/client-router.js';
import type { Logger } from '../util/logger.js';
import { defaultEventLogLimits, type EventLogLimits } from './event-log.js';
import { Exchange } from './exchange.js';
import { HttpError, accepts, parseJsonBody, readBody } from './http-util.js';
import { handleBatch } from './streamable-batch.js';
import type { SessionTable } from './session-table.js';
import { StreamableSession } from './streamable-session.js';
import type { SseStreams } from './streams.js';

export interface EndpointLimits {
  maxBodyBytes: number;
  maxSessions: number;
  rate: { perSecond: number; burst: number };
  /** A session with no open stream and nothing in flight for this long is closed (clients that never DELETE). */
  sessionIdleMs: number;
  /** What a session keeps for clients that resume a stream with Last-Event-ID. */
  events?: Partial<EventLogLimits>;
}

/** What a transport needs from the router behind it: a shared child's, a per-session one, or the aggregate. */
export type TransportRouter = Pick<ClientRouter, 'fromClient' | 'detach'>;

/** The Streamable HTTP transport (MCP 2025-03-26 and later) for one server: POST, GET stream, DELETE. */
export class StreamableHttpEndpoint {
  private readonly untick: () => void;
  private readonly events: EventLogLimits;

  constructor(
    private readonly router: TransportRouter,
    private readonly table: SessionTable,
    private readonly streams: SseStreams,
    private readonly limits: EndpointLimits,
    private readonly logger: Logger,
  ) {
    this.events = { ...defaultEventLogLimits, ...limits.events };
    this.untick = streams.onTick((now) => {
      for (const s of this.table.values()) if (s instanceof StreamableSession) s.keepalive(now, streams.keepaliveMs);
    });
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
    const session = this.table.get(id);
    if (!(session instanceof StreamableSession))
      throw new HttpError(404, 'Session not found: it ended or never existed; send initialize again', -32001);
    session.lastActive = Date.now();
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
      const session = this.sessionFor(req);
      this.table.charge(session, Math.max(1, body.length));
      return handleBatch(body, session, req, res, cors, {
        router: this.router,
        openExchange: (ids) => this.openExchange(req, res, cors, session, ids, true),
      });
    }
    const kind = classify(body);
    if (kind === 'invalid')
      throw new HttpError(400, 'Invalid Request: not a JSON-RPC 2.0 message', ErrorCode.InvalidRequest);
    const msg = body as JsonRpcMessage;

    let session: StreamableSession;
    if (kind === 'request' && msg.method === 'initialize' && req.headers['mcp-session-id'] === undefined) {
      session = this.table.add(
        new StreamableSession(randomUUID(), this.events, this.streams, this.logger, (s) => this.overflow(s)),
      );
    } else session = this.sessionFor(req);
    this.table.charge(session);

    if (kind !== 'request') {
      this.router.fromClient(session, msg);
      res.writeHead(202, cors).end();
      return;
    }
    const id = msg.id as JsonRpcId;
    if (session.exchanges.has(id)) {
      const body = writeJson(
        errorResponse(id, ErrorCode.InvalidRequest, `request id ${describeId(id)} is already in flight`),
      );
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(body);
      return;
    }
    this.openExchange(req, res, cors, session, [id], false);
    this.router.fromClient(session, msg);
  }

  private openExchange(
    req: IncomingMessage,
    res: ServerResponse,
    cors: Record<string, string>,
    session: StreamableSession,
    ids: JsonRpcId[],
    batch: boolean,
  ): Exchange {
    const headers = { ...cors, 'mcp-session-id': session.id };
    const canStream = accepts(req, 'text/event-stream');
    const exchange = new Exchange(res, headers, canStream, ids, batch, session.exchangeContext);
    for (const id of ids) session.exchanges.set(id, exchange);
    res.on('close', () => {
      // The client hung up before its answer: per spec this is not a cancel. A stream can be resumed with
      // Last-Event-ID, so it stays; a plain JSON answer has nowhere to go.
      if (exchange.done || exchange.streamId) return;
      exchange.done = true;
      for (const id of ids) if (session.exchanges.get(id) === exchange) session.exchanges.delete(id);
    });
    return exchange;
  }

  private get(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    if (!accepts(req, 'text/event-stream'))
      throw new HttpError(406, 'Not Acceptable: a GET stream needs Accept: text/event-stream');
    const session = this.sessionFor(req);
    const headers = { ...cors, 'mcp-session-id': session.id };
    const lastEventId = req.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId !== '') return session.resume(lastEventId, res, headers);
    if (session.hasOpenStandalone) throw new HttpError(409, 'Conflict: this session already has an open GET stream');
    session.openStandalone(res, headers);
  }

  private delete(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    const session = this.sessionFor(req);
    this.table.end(session, 'client ended the session');
    res.writeHead(200, cors).end();
  }

  private overflow(session: StreamableSession): void {
    this.logger.warn('closed a session whose client is not reading its stream', {
      session: session.id,
      maxBufferedBytes: this.streams.maxBufferedBytes,
    });
    this.table.end(session, 'client could not keep up');
  }

  close(): void {
    this.untick();
  }
}
