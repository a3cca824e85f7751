import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import WebSocket from 'ws';
import type { Engine } from '../../src/main/core/engine.js';
import type { AggregateRouter } from '../../src/main/core/router/aggregate-router.js';
import { TOKEN } from './engine.js';

export interface GatewayExtras {
  aggregate: AggregateRouter;
  close(): void;
}

/** The engine's own aggregate (behind /mcp, /sse and /ws when it serves several servers). */
export function wireGatewayExtras(engine: Engine): GatewayExtras {
  return { aggregate: engine.aggregateRouter, close() {} };
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
