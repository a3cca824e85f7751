import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../util/logger.js';
import { HttpError, sendError, sendJson } from './http-util.js';
import { AccessGuard, type AccessOptions } from './security.js';

/** What the gateway serves for one server name. */
export interface ServedEndpoints {
  streamable(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void>;
  sseOpen(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void;
  ssePost(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void>;
  /** MCP over WebSocket; absent: `/…/ws` is 404. Throws an HttpError to refuse the upgrade. */
  websocket?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** The engine side the gateway needs: endpoints per server name, and the status documents. */
export interface GatewayBackend {
  endpoints(name: string): ServedEndpoints | undefined;
  /** The one server that `/mcp`, `/sse` and `/ws` stand for, when exactly one is served. */
  soleServer(): string | undefined;
  /** What `/mcp`, `/sse` and `/ws` serve when there is no sole server: the aggregate of all servers. */
  aggregate?(): ServedEndpoints | undefined;
  health(): { status: 'healthy' | 'degraded' | 'unhealthy'; [key: string]: unknown };
  /** Prometheus text for `/metrics` (behind the token); absent: 404. */
  metrics?(): Promise<{ contentType: string; body: string }> | undefined;
  ready(): boolean;
  info(baseUrl: string): unknown;
}

/**
 * Serves the paths the gateway leaves to another part of the host (the web bridge: `/ui`, `/ui/*`, `/api/*`).
 * It runs after the Host/Origin check and before the bearer-token check, because it does its own auth (a cookie
 * or the bearer header). Resolves true when it answered the request.
 */
export type AppRequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cors: Record<string, string>,
) => Promise<boolean>;

export interface GatewayOptions extends AccessOptions {
  port: number;
  /** HTTP requests handled at once; past this, 503 (load shedding). */
  maxConcurrentRequests: number;
  /** PEM certificate and key: the gateway speaks HTTPS (and WSS) only. */
  tls?: { cert: string | Buffer; key: string | Buffer };
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
  private appHandler: AppRequestHandler | null = null;

  constructor(
    private readonly options: GatewayOptions,
    private readonly backend: GatewayBackend,
    private readonly logger: Logger,
  ) {
    this.guard = new AccessGuard(options);
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = options.tls
      ? (createHttpsServer({ ...options.tls, keepAliveTimeout: 65_000 }, handler) as unknown as Server)
      : createServer({ keepAliveTimeout: 65_000 }, handler);
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
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
    this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${host}:${port}`;
    return this.baseUrl;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The checks the gateway applies, for a handler that authorizes requests itself. */
  get access(): AccessGuard {
    return this.guard;
  }

  /** A regenerated token applies to the next request. */
  setToken(token: string | null): void {
    this.guard.setToken(token);
  }

  /** Hands `/ui`, `/ui/*` and `/api/*` to `handler` (null: back to 404). */
  setAppHandler(handler: AppRequestHandler | null): void {
    this.appHandler = handler;
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
      if (this.appHandler && isAppPath(url.pathname) && (await this.appHandler(req, res, url, cors))) return;
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
    if (path === '/metrics') {
      const metrics = await this.backend.metrics?.();
      if (!metrics) throw new HttpError(404, 'Not Found: metrics are not recorded by this host');
      res.writeHead(200, { ...cors, 'content-type': metrics.contentType }).end(metrics.body);
      return;
    }
    const { endpoints, leaf } = this.resolve(path);
    if (endpoints && leaf === 'mcp') return endpoints.streamable(req, res, cors);
    if (endpoints && leaf === 'sse') return endpoints.sseOpen(req, res, cors);
    if (endpoints && leaf === 'messages') return endpoints.ssePost(req, res, url, cors);
    throw new HttpError(404, `Not Found: ${path}`);
  }

  /**
   * `/servers/<name>/<leaf>` is that server; `/<leaf>` is the sole server when there is one (no renaming, no
   * extra hop), else the aggregate of all servers.
   */
  private resolve(path: string): { endpoints?: ServedEndpoints; leaf?: string } {
    const parts = path.split('/').filter(Boolean);
    if (parts.length === 3 && parts[0] === 'servers') {
      const [, name, leaf] = parts.map(decodePathSegment);
      const endpoints = this.backend.endpoints(name!);
      if (!endpoints) throw new HttpError(404, `Not Found: no server named ${JSON.stringify(name)} (see /info)`);
      return { endpoints, leaf };
    }
    if (parts.length !== 1 || !['mcp', 'sse', 'messages', 'ws'].includes(parts[0]!)) return {};
    const leaf = parts[0];
    const sole = this.backend.soleServer();
    const endpoints = sole !== undefined ? this.backend.endpoints(sole) : this.backend.aggregate?.();
    if (!endpoints)
      throw new HttpError(404, `Not Found: several servers are served; use /servers/<name>/${leaf} (see /info)`);
    return { endpoints, leaf };
  }

  /** WebSocket upgrades pass the same Host/Origin and token checks as every request, before the handshake. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    try {
      this.guard.checkHostAndOrigin(req);
      this.guard.checkToken(req);
      const { endpoints, leaf } = this.resolve(new URL(req.url ?? '/', 'http://localhost').pathname);
      if (leaf !== 'ws' || !endpoints?.websocket) throw new HttpError(404, `Not Found: no WebSocket at ${req.url}`);
      endpoints.websocket(req, socket, head);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'Internal error', -32603);
      if (!(err instanceof HttpError)) this.logger.error(`upgrade failed: ${(err as Error).stack ?? err}`);
      refuseUpgrade(socket, e);
    }
  }
}

/** Answers a refused upgrade on the raw socket, as the JSON-RPC error body every other refusal carries. */
function refuseUpgrade(socket: Duplex, err: HttpError): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: err.jsonRpcCode, message: err.message } });
  const headers = Object.entries({ ...err.headers, 'content-type': 'application/json', connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const reason = STATUS_CODES[err.status] ?? 'Error';
  socket.end(`HTTP/1.1 ${err.status} ${reason}\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function isAppPath(path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/') || path.startsWith('/api/');
}

/** A malformed %-escape in the path is the client's mistake (400), not an internal error. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `Bad Request: malformed percent-encoding in the path segment ${JSON.stringify(segment)}`);
  }
}
