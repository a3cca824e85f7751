import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { JsonTextError, readJson } from '../protocol/json-text.js';
import { ErrorCode, classify, errorResponse, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { wireJson } from '../protocol/raw-response.js';
import { ClientSession } from '../router/session.js';
import type { Logger } from '../util/logger.js';
import { BacklogGuard } from './backlog-guard.js';
import { HttpError } from './http-util.js';
import type { SessionTable } from './session-table.js';
import type { EndpointLimits, TransportRouter } from './streamable-http.js';
import type { SseStreams } from './streams.js';

/** The WebSocket subprotocol MCP clients ask for (the SDK's WebSocketClientTransport). */
export const MCP_SUBPROTOCOL = 'mcp';

class WebSocketSession extends ClientSession {
  readonly transport = 'websocket' as const;
  /** False from a ping until its pong: a peer that misses a whole interval is gone. */
  alive = true;
  readonly backlog: BacklogGuard;

  constructor(
    readonly socket: WebSocket,
    streams: SseStreams,
    onOverflow: (session: WebSocketSession) => void,
  ) {
    super(randomUUID());
    this.backlog = new BacklogGuard(
      streams.maxBufferedBytes,
      streams.backlogGraceMs,
      () => socket.bufferedAmount,
      () => onOverflow(this),
    );
  }

  /** One JSON-RPC message per text frame (a large answer's bytes are UTF-8 already: response-peek.ts). */
  deliver(msg: JsonRpcMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(wireJson(msg), { binary: false });
    this.backlog.check();
  }

  canReceive(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** The socket is the session: while it is open the session is in use. */
  get idle(): boolean {
    return false;
  }

  close(): void {
    this.backlog.stop();
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1001, 'session ended');
  }
}

/**
 * MCP over WebSocket (subprotocol `mcp`) for one router. The gateway has already checked Host, Origin and the
 * token when it hands over an upgrade. Each socket is one session; the same limits apply as over HTTP: message
 * size, sessions, rate, and a send buffer past which a client that does not read is cut off.
 */
export class WebSocketEndpoint {
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<WebSocketSession>();
  private readonly untick: () => void;

  constructor(
    private readonly router: TransportRouter,
    private readonly table: SessionTable,
    private readonly streams: SseStreams,
    limits: EndpointLimits,
    private readonly logger: Logger,
  ) {
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxBodyBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(MCP_SUBPROTOCOL) ? MCP_SUBPROTOCOL : false),
    });
    // The SSE keepalive interval doubles as the WebSocket ping interval, and a missed pong ends the session.
    this.untick = streams.onTick(() => this.ping());
  }

  /** Completes the handshake, or throws an HttpError for the gateway to answer on the raw socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(MCP_SUBPROTOCOL)) {
      throw new HttpError(400, `Bad Request: ask for the WebSocket subprotocol "${MCP_SUBPROTOCOL}"`);
    }
    this.table.admit();
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const session = new WebSocketSession(ws, this.streams, (s) => {
      this.logger.warn('closed a WebSocket session whose client is not reading', {
        session: s.id,
        maxBufferedBytes: this.streams.maxBufferedBytes,
      });
      s.socket.terminate(); // a close handshake would queue behind the unread data
    });
    this.sessions.add(session);
    this.table.add(session);
    ws.on('pong', () => (session.alive = true));
    ws.on('message', (data, isBinary) => this.receive(session, data, isBinary));
    ws.on('error', (err) => this.logger.debug('WebSocket error', { session: session.id, error: err.message }));
    ws.on('close', () => {
      session.backlog.stop();
      this.sessions.delete(session);
      this.table.end(session, 'client disconnected');
    });
  }

  private receive(session: WebSocketSession, data: RawData, isBinary: boolean): void {
    if (isBinary) return void session.socket.close(1003, 'MCP messages are JSON text frames');
    let value: unknown;
    try {
      value = readJson(data.toString());
    } catch (err) {
      if (err instanceof JsonTextError && err.kind === 'depth') {
        return session.deliver(errorResponse(null, ErrorCode.InvalidRequest, err.message));
      }
      return session.deliver(errorResponse(null, ErrorCode.ParseError, 'Parse error: the frame is not valid JSON'));
    }
    if (Array.isArray(value)) {
      return session.deliver(
        errorResponse(null, ErrorCode.InvalidRequest, 'batches are not accepted over WebSocket; one message a frame'),
      );
    }
    const kind = classify(value);
    const msg = value as JsonRpcMessage;
    if (kind === 'invalid') {
      return session.deliver(errorResponse(null, ErrorCode.InvalidRequest, 'Invalid Request: not JSON-RPC 2.0'));
    }
    if (!this.table.allow(session)) {
      if (kind === 'request') session.deliver(errorResponse(msg.id!, ErrorCode.Overloaded, 'Too Many Requests'));
      return;
    }
    this.router.fromClient(session, msg);
  }

  private ping(): void {
    for (const session of this.sessions) {
      if (!session.alive) {
        this.logger.info('closed a WebSocket session that missed a keepalive pong', { session: session.id });
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }

  close(): void {
    this.untick();
    this.server.close();
  }
}
