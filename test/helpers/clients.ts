import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { TOKEN } from './engine.js';

export type TransportKind = 'streamable' | 'sse';

/** A real SDK client connected through the gateway, over either transport. */
export async function connectClient(
  baseUrl: string,
  server: string,
  kind: TransportKind = 'streamable',
  options: { name?: string; capabilities?: ClientCapabilities; token?: string } = {},
): Promise<Client> {
  const headers = { authorization: `Bearer ${options.token ?? TOKEN}` };
  const transport =
    kind === 'streamable'
      ? new StreamableHTTPClientTransport(new URL(`${baseUrl}/servers/${server}/mcp`), { requestInit: { headers } })
      : new SSEClientTransport(new URL(`${baseUrl}/servers/${server}/sse`), {
          requestInit: { headers },
          eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...headers } }) },
        });
  const client = new Client(
    { name: options.name ?? 'test-client', version: '1.0.0' },
    { capabilities: options.capabilities ?? {} },
  );
  await client.connect(transport);
  return client;
}

export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}
