import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import WebSocket from 'ws';
import type { Engine } from '../../src/main/core/engine.js';
import { EndpointSet } from '../../src/main/core/gateway/endpoint-set.js';
import type { EndpointLimits } from '../../src/main/core/gateway/streamable-http.js';
import { SseStreams } from '../../src/main/core/gateway/streams.js';
import { WebSocketEndpoint } from '../../src/main/core/gateway/websocket.js';
import { AggregateRouter } from '../../src/main/core/router/aggregate-router.js';
import { aggregateSourceOf } from '../../src/main/core/router/aggregate-source.js';
import { TOKEN } from './engine.js';

export interface GatewayExtras {
  aggregate: AggregateRouter;
  close(): void;
}

/**
 * Gives a test engine what the production engine is to wire itself (see the report of issue 7): the aggregate
 * behind /mcp, /sse and /ws, and a WebSocket endpoint per server. It uses the same classes and the same hooks
 * (GatewayBackend.aggregate, ServedEndpoints.websocket); only the place they are constructed differs.
 */
export function wireGatewayExtras(engine: Engine): GatewayExtras {
  const { options } = engine;
  const logger = options.logger.child('aggregate');
  const streams = new SseStreams(options.maxStreamBufferBytes, options.keepaliveMs);
  const limits: EndpointLimits = {
    maxBodyBytes: options.maxBodyBytes,
    maxSessions: options.maxSessionsPerServer,
    rate: options.rate,
    sessionIdleMs: options.sessionIdleMs,
  };
  const source = aggregateSourceOf(
    () => engine.servers.values(),
    (fn) => engine.stateChanges.on(fn),
    (fn) => engine.serversChanged.on(fn),
  );
  const aggregate = new AggregateRouter(source, logger);
  const endpoints = new EndpointSet(aggregate, streams, limits, logger, '/messages');
  Object.assign(engine, { aggregate: () => endpoints });
  const sockets: WebSocketEndpoint[] = [];
  for (const server of engine.servers.values()) {
    const ws = new WebSocketEndpoint(server.router, streams, limits, logger.child(server.name));
    sockets.push(ws);
    Object.assign(server, { websocket: (req: IncomingMessage, s: Duplex, head: Buffer) => ws.upgrade(req, s, head) });
  }
  return {
    aggregate,
    close() {
      endpoints.closeAll();
      for (const ws of sockets) ws.closeAll();
      aggregate.dispose();
      streams.closeAll();
    },
  };
}

/** An SDK client transport over the `ws` package: it can send the bearer token, which a browser WebSocket cannot. */
export class WsClientTransport implements Transport {
  private socket: WebSocket | null = null;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  constructor(
    private readonly url: string,
    private readonly options: WebSocket.ClientOptions = { headers: { authorization: `Bearer ${TOKEN}` } },
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, 'mcp', this.options);
      this.socket = socket;
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket refused: ${res.statusCode}`)));
      socket.on('error', (err) => {
        reject(err);
        this.onerror?.(err);
      });
      socket.on('close', () => this.onclose?.());
      socket.on('message', (data) => this.onmessage?.(JSON.parse(data.toString()) as JSONRPCMessage));
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.socket?.send(JSON.stringify(message));
  }

  async close(): Promise<void> {
    this.socket?.close();
  }
}

export type AnyTransport = 'streamable' | 'sse' | 'ws';

/** A real SDK client on a gateway path (`/mcp`, `/sse`, `/ws`, `/servers/fx/ws`), over the transport it names. */
export async function connectPath(
  baseUrl: string,
  path: string,
  kind: AnyTransport,
  options: { name?: string; capabilities?: ClientCapabilities } = {},
): Promise<Client> {
  const headers = { authorization: `Bearer ${TOKEN}` };
  const url = new URL(`${baseUrl}${path}`);
  const transport =
    kind === 'streamable'
      ? new StreamableHTTPClientTransport(url, { requestInit: { headers } })
      : kind === 'sse'
        ? new SSEClientTransport(url, {
            requestInit: { headers },
            eventSourceInit: { fetch: (u, init) => fetch(u, { ...init, headers: { ...init?.headers, ...headers } }) },
          })
        : new WsClientTransport(url.href.replace(/^http/, 'ws'));
  const client = new Client(
    { name: options.name ?? 'test-client', version: '1.0.0' },
    { capabilities: options.capabilities ?? {} },
  );
  await client.connect(transport);
  return client;
}
