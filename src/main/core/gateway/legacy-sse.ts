import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, classify, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { wireJson } from '../protocol/raw-response.js';
import { ClientSession } from '../router/session.js';
import type { Logger } from '../util/logger.js';
import { HttpError, parseJsonBody, readBody } from './http-util.js';
import type { SessionTable } from './session-table.js';
import type { EndpointLimits, TransportRouter } from './streamable-http.js';
import type { SseStream, SseStreams } from './streams.js';

class SseSession extends ClientSession {
  readonly transport = 'sse' as const;

  constructor(
    id: string,
    readonly stream: SseStream,
  ) {
    super(id);
  }

  deliver(msg: JsonRpcMessage): void {
    this.stream.send(wireJson(msg));
  }

  canReceive(): boolean {
    return this.stream.isOpen;
  }

  /** The stream is the session: while it is open the session is in use. */
  get idle(): boolean {
    return false;
  }

  close(): void {
    this.stream.end();
  }
}

/** The legacy HTTP+SSE transport (MCP 2024-11-05): a GET stream that names its POST endpoint first. */
export class LegacySseEndpoint {
  constructor(
    private readonly router: TransportRouter,
    private readonly table: SessionTable,
    private readonly streams: SseStreams,
    private readonly limits: EndpointLimits,
    private readonly logger: Logger,
    /** Where clients POST, e.g. /servers/memory/messages */
    private readonly messagesPath: string,
  ) {}

  open(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    if (req.method !== 'GET')
      throw new HttpError(405, 'Method Not Allowed: open the stream with GET', ErrorCode.InvalidRequest, {
        allow: 'GET',
      });
    this.table.admit();
    const id = randomUUID();
    const stream = this.streams.start(res, cors, () => {
      this.logger.warn('closed an SSE session whose client is not reading', { session: id });
      stream.end();
    });
    const session = this.table.add(new SseSession(id, stream));
    stream.onClose(() => this.table.end(session, 'client disconnected'));
    stream.send(`${this.messagesPath}?sessionId=${id}`, 'endpoint');
  }

  async post(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void> {
    if (req.method !== 'POST')
      throw new HttpError(405, 'Method Not Allowed', ErrorCode.InvalidRequest, { allow: 'POST' });
    const id = url.searchParams.get('sessionId');
    if (!id) throw new HttpError(400, 'Bad Request: the sessionId query parameter is required');
    const session = this.table.get(id);
    if (!(session instanceof SseSession)) throw new HttpError(404, 'Session not found: open a new stream', -32001);
    const body = parseJsonBody(await readBody(req, this.limits.maxBodyBytes));
    if (Array.isArray(body))
      throw new HttpError(400, 'Bad Request: JSON-RPC batches are not accepted; send one message per POST');
    if (classify(body) === 'invalid') throw new HttpError(400, 'Invalid Request: not a JSON-RPC 2.0 message');
    this.table.charge(session);
    this.router.fromClient(session, body as JsonRpcMessage);
    res.writeHead(202, { ...cors, 'content-type': 'text/plain' }).end('Accepted');
  }
}
