import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../util/logger.js';
import { HttpError, sendError, sendJson } from './http-util.js';
import { AccessGuard, type AccessOptions } from './security.js';

/** What the gateway serves for one server name. */
export interface ServedEndpoints {
  streamable(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void>;
  sseOpen(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void;
  ssePost(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void>;
}

/** The engine side the gateway needs: endpoints per server name, and the status documents. */
export interface GatewayBackend {
  endpoints(name: string): ServedEndpoints | undefined;
  /** The one server that `/mcp` and `/sse` stand for, when exactly one is served. */
  soleServer(): string | undefined;
  health(): { status: 'healthy' | 'degraded' | 'unhealthy'; [key: string]: unknown };
  ready(): boolean;
  info(baseUrl: string): unknown;
}

export interface GatewayOptions extends AccessOptions {
  port: number;
  /** HTTP requests handled at once; past this, 503 (load shedding). */
  maxConcurrentRequests: number;
}

/**
 * The loopback HTTP front door. Every request passes Host/Origin checks, then CORS preflight, then the token,
 * before any route; a failure at any step is answered and nothing reaches a child.
 */
export class HttpGateway {
  private readonly server: Server;
  private readonly guard: AccessGuard;
  private active = 0;
  private baseUrl = '';

  constructor(
    private readonly options: GatewayOptions,
    private readonly backend: GatewayBackend,
    private readonly logger: Logger,
  ) {
    this.guard = new AccessGuard(options);
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.handle(req, res));
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Say what was wrong where HTTP has a word for it; a bare reset leaves the client guessing.
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      else socket.destroy();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.bindHost, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    const host = this.options.bindHost.includes(':') ? `[${this.options.bindHost}]` : this.options.bindHost;
    this.baseUrl = `http://${host}:${port}`;
    return this.baseUrl;
  }

  get url(): string {
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.active++;
    res.on('close', () => this.active--);
    let cors: Record<string, string> = {};
    try {
      const origin = this.guard.checkHostAndOrigin(req);
      cors = this.guard.corsHeaders(origin);
      if (req.method === 'OPTIONS') return this.guard.preflight(res, origin);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/health' || url.pathname === '/ready') return this.status(url.pathname, res, cors);
      this.guard.checkToken(req);
      if (this.active > this.options.maxConcurrentRequests) {
        throw new HttpError(503, 'Service Unavailable: too many requests at once', -32003, { 'retry-after': '1' });
      }
      await this.route(req, res, url, cors);
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, Object.assign(err, { headers: { ...cors, ...err.headers } }));
      this.logger.error(`request failed: ${(err as Error).stack ?? err}`);
      sendError(res, new HttpError(500, 'Internal error', -32603, cors));
    }
  }

  private status(path: string, res: ServerResponse, cors: Record<string, string>): void {
    if (path === '/ready') {
      const ready = this.backend.ready();
      return sendJson(res, ready ? 200 : 503, { ready }, cors);
    }
    const health = this.backend.health();
    sendJson(res, health.status === 'unhealthy' ? 503 : 200, health, cors);
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    cors: Record<string, string>,
  ): Promise<void> {
    const path = url.pathname;
    if (path === '/info') return sendJson(res, 200, this.backend.info(this.baseUrl), cors);
    const parts = path.split('/').filter(Boolean);
    let name: string | undefined;
    let leaf: string | undefined;
    if (parts.length === 3 && parts[0] === 'servers') [, name, leaf] = parts.map(decodePathSegment);
    else if (parts.length === 1 && ['mcp', 'sse', 'messages'].includes(parts[0]!)) {
      leaf = parts[0];
      name = this.backend.soleServer();
      if (!name)
        throw new HttpError(404, `Not Found: several servers are served; use /servers/<name>/${leaf} (see /info)`);
    }
    const endpoints = name !== undefined ? this.backend.endpoints(name) : undefined;
    if (name !== undefined && !endpoints)
      throw new HttpError(404, `Not Found: no server named ${JSON.stringify(name)} (see /info)`);
    if (endpoints && leaf === 'mcp') return endpoints.streamable(req, res, cors);
    if (endpoints && leaf === 'sse') return endpoints.sseOpen(req, res, cors);
    if (endpoints && leaf === 'messages') return endpoints.ssePost(req, res, url, cors);
    throw new HttpError(404, `Not Found: ${path}`);
  }
}

/** A malformed %-escape in the path is the client's mistake (400), not an internal error. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `Bad Request: malformed percent-encoding in the path segment ${JSON.stringify(segment)}`);
  }
}
