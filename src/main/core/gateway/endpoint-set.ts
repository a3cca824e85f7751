import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../util/logger.js';
import type { ServedEndpoints } from './http-gateway.js';
import { LegacySseEndpoint } from './legacy-sse.js';
import { SessionTable } from './session-table.js';
import { StreamableHttpEndpoint, type EndpointLimits, type TransportRouter } from './streamable-http.js';
import type { SseStreams } from './streams.js';
import { WebSocketEndpoint } from './websocket.js';

/**
 * Every transport the gateway offers for one router (a server's, or the aggregate's): Streamable HTTP, legacy
 * SSE and WebSocket, owned and closed together, with one session table for all three.
 */
export class EndpointSet implements ServedEndpoints {
  readonly sessions: SessionTable;
  private readonly streamableEndpoint: StreamableHttpEndpoint;
  private readonly sseEndpoint: LegacySseEndpoint;
  private readonly wsEndpoint: WebSocketEndpoint;

  constructor(
    router: TransportRouter,
    streams: SseStreams,
    limits: EndpointLimits,
    logger: Logger,
    /** Where legacy SSE clients POST, e.g. /servers/memory/messages or /messages. */
    messagesPath: string,
  ) {
    this.sessions = new SessionTable(router, limits, logger);
    this.streamableEndpoint = new StreamableHttpEndpoint(router, this.sessions, streams, limits, logger);
    this.sseEndpoint = new LegacySseEndpoint(router, this.sessions, streams, limits, logger, messagesPath);
    this.wsEndpoint = new WebSocketEndpoint(router, this.sessions, streams, limits, logger);
  }

  streamable(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    return this.streamableEndpoint.handle(req, res, cors);
  }

  sseOpen(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    this.sseEndpoint.open(req, res, cors);
  }

  ssePost(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void> {
    return this.sseEndpoint.post(req, res, url, cors);
  }

  websocket(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wsEndpoint.upgrade(req, socket, head);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  closeAll(): void {
    this.streamableEndpoint.close();
    this.wsEndpoint.close();
    this.sessions.closeAll('gateway shutting down');
  }
}
