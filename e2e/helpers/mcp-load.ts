/**
 * A small Streamable HTTP client for load: one session, many concurrent `tools/call`s at a steady rate. Plain
 * fetch, no SDK, so the load generator costs little of the two cores the browser and the host also need.
 */
interface RpcResponse {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

async function readReply(res: Response): Promise<RpcResponse | null> {
  const text = await res.text();
  if (res.status === 202 || text === '') return null;
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim());
    return data.length > 0 ? (JSON.parse(data.at(-1)!) as RpcResponse) : null;
  }
  return JSON.parse(text) as RpcResponse;
}

export class McpLoadClient {
  private sessionId: string | null = null;
  private nextId = 1;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  private async post(body: unknown): Promise<RpcResponse | null> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${this.token}`,
    };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    const res = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify(body) });
    this.sessionId ??= res.headers.get('mcp-session-id');
    if (!res.ok && res.status !== 202) throw new Error(`POST ${this.url}: HTTP ${res.status} ${await res.text()}`);
    return readReply(res);
  }

  async initialize(clientName = 'load-generator'): Promise<void> {
    const reply = await this.post({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: clientName, version: '1.0.0' } },
    });
    if (reply?.error) throw new Error(`initialize: ${reply.error.message}`);
    await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<void> {
    const reply = await this.post({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'tools/call',
      params: { name, arguments: args },
    });
    if (reply?.error) throw new Error(`tools/call ${name}: ${reply.error.message}`);
  }

  async close(): Promise<void> {
    if (!this.sessionId) return;
    await fetch(this.url, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${this.token}`, 'mcp-session-id': this.sessionId },
    }).catch(() => undefined);
  }
}

export interface LoadResult {
  calls: number;
  failures: number;
  seconds: number;
  firstError?: string;
}

/**
 * Sends `callsPerSecond` echo calls for `seconds`, from `concurrency` workers that take evenly spaced start
 * slots (so the rate is steady, not bursty). Each call is two frames: a request and its response.
 */
export async function driveEcho(
  client: McpLoadClient,
  callsPerSecond: number,
  seconds: number,
  concurrency = 64,
): Promise<LoadResult> {
  const interval = 1000 / callsPerSecond;
  const start = performance.now();
  const end = start + seconds * 1000;
  let slot = 0;
  let calls = 0;
  let failures = 0;
  let firstError: string | undefined;
  const worker = async () => {
    for (;;) {
      const at = start + slot++ * interval;
      if (at >= end) return;
      const wait = at - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      try {
        await client.callTool('echo', { message: `load ${slot}` });
        calls++;
      } catch (err) {
        failures++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { calls, failures, seconds: (performance.now() - start) / 1000, firstError };
}
