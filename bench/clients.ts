/**
 * Lean MCP clients for the benchmark: hand-written JSON-RPC over node:http (one keep-alive socket per session) or
 * over the fixture's stdio, so the client's own cost stays small next to the gateway's. They do only what the
 * benchmark needs: initialize, then `tools/call` (echo, or `big` for the large-result phase).
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';

export interface RpcResponse {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: { content?: Array<{ type: string; text?: string }> };
  error?: { code: number; message: string };
}

/** One client session: sequential calls (the benchmark never has two calls in flight on one session). */
export interface BenchSession {
  /** Sends `tools/call echo {message}` with this JSON-RPC id and resolves with the response. */
  call(id: number, message: string): Promise<RpcResponse>;
  /** Sends `tools/call <name> <args>` with this JSON-RPC id and resolves with the response. */
  callTool(id: number, name: string, args: Record<string, unknown>): Promise<RpcResponse>;
  close(): Promise<void>;
}

const PROTOCOL_VERSION = '2025-06-18';
const CLIENT_INFO = { name: 'switchboard-bench', version: '1.0.0' };

function initializeRequest(id: number): object {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
  };
}

function toolRequest(id: number, name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

const echoRequest = (id: number, message: string) => toolRequest(id, 'echo', { message });

// ---- direct stdio ------------------------------------------------------------------------------------------

/**
 * Newline-delimited JSON-RPC straight on the fixture's stdin/stdout. Several "sessions" share the one child:
 * their requests are pipelined with distinct ids and matched by id.
 */
/**
 * Calls `onLine` for each complete line of a text stream. Only the new chunk is searched for a newline, and a long
 * line's pieces (kept in `partial` between calls) are joined once: appending to one string and searching it would
 * copy a 10 MiB line once per 64 KiB chunk, and make the client, not what it measures, the slow part.
 */
function splitLines(partial: string[], chunk: string, onLine: (line: string) => void): void {
  let from = 0;
  let nl;
  while ((nl = chunk.indexOf('\n', from)) >= 0) {
    const piece = chunk.slice(from, nl);
    const line = partial.length ? partial.join('') + piece : piece;
    partial.length = 0;
    from = nl + 1;
    onLine(line);
  }
  if (from < chunk.length) partial.push(from ? chunk.slice(from) : chunk);
}

export class DirectConnection {
  private readonly pending = new Map<number, (msg: RpcResponse) => void>();
  /** The pieces of a line not yet ended. */
  private readonly partial: string[] = [];
  private nextId = 1_000_000_000; // the connection's own requests; sessions use their own small ids
  private failure: Error | null = null;

  constructor(private readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    child.once('exit', (code, signal) => this.fail(new Error(`the fixture exited (${code ?? signal})`)));
    child.stdin!.on('error', (err) => this.fail(err));
  }

  async initialize(): Promise<void> {
    const id = this.nextId++;
    const res = await this.request(id, JSON.stringify(initializeRequest(id)));
    if (res.error) throw new Error(`initialize failed: ${res.error.message}`);
    this.child.stdin!.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  }

  /** A "session" on the shared child; `index` keeps its ids apart from the others'. */
  session(index: number): BenchSession {
    const base = (index + 1) * 10_000_000;
    const send = async (id: number, line: string) => {
      const res = await this.request(base + id, line);
      return { ...res, id: (res.id as number) - base };
    };
    return {
      call: (id, message) => send(id, echoRequest(base + id, message)),
      callTool: (id, name, args) => send(id, toolRequest(base + id, name, args)),
      close: async () => {},
    };
  }

  private request(id: number, line: string): Promise<RpcResponse> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(line + '\n');
    });
  }

  private onData(chunk: string): void {
    splitLines(this.partial, chunk, (line) => {
      if (line.trim()) this.onLine(line);
    });
  }

  private onLine(line: string): void {
    const msg = JSON.parse(line) as RpcResponse;
    const resolve = this.pending.get(msg.id as number);
    if (resolve) {
      this.pending.delete(msg.id as number);
      resolve(msg);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    // Answer everything still waiting with an error, so no session loop hangs.
    for (const [id, resolve] of this.pending)
      resolve({ jsonrpc: '2.0', id, error: { code: -32000, message: err.message } });
    this.pending.clear();
  }
}

// ---- HTTP plumbing -----------------------------------------------------------------------------------------

export interface GatewayTarget {
  url: string;
  token: string;
  name: string;
}

interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on the session's keep-alive agent; the body is read whole. */
function httpRequest(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders,
  body?: string,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON-RPC message in a response body: plain JSON, or the last `data:` of an SSE body. */
function parseRpcBody(result: HttpResult): RpcResponse {
  if (String(result.headers['content-type']).startsWith('text/event-stream')) {
    const data = result.body
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .pop();
    if (!data) throw new Error('an SSE response without data');
    return JSON.parse(data.slice(5)) as RpcResponse;
  }
  return JSON.parse(result.body) as RpcResponse;
}

// ---- Streamable HTTP ---------------------------------------------------------------------------------------

export class StreamableSession implements BenchSession {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly base: URL;
  private readonly path: string;
  private headers: http.OutgoingHttpHeaders;

  private constructor(target: GatewayTarget) {
    this.base = new URL(target.url);
    this.path = `/servers/${encodeURIComponent(target.name)}/mcp`;
    this.headers = {
      authorization: `Bearer ${target.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
  }

  static async open(target: GatewayTarget): Promise<StreamableSession> {
    const s = new StreamableSession(target);
    try {
      const init = await httpRequest(s.agent, s.base, 'POST', s.path, s.headers, JSON.stringify(initializeRequest(0)));
      const sessionId = init.headers['mcp-session-id'];
      if (init.status !== 200 || typeof sessionId !== 'string')
        throw new Error(`initialize: HTTP ${init.status} ${init.body.slice(0, 200)}`);
      const res = parseRpcBody(init);
      if (res.error) throw new Error(`initialize failed: ${res.error.message}`);
      s.headers = { ...s.headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL_VERSION };
      const note = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const ack = await httpRequest(s.agent, s.base, 'POST', s.path, s.headers, note);
      if (ack.status !== 202) throw new Error(`notifications/initialized: HTTP ${ack.status}`);
      return s;
    } catch (err) {
      s.agent.destroy();
      throw err;
    }
  }

  call(id: number, message: string): Promise<RpcResponse> {
    return this.post(echoRequest(id, message));
  }

  callTool(id: number, name: string, args: Record<string, unknown>): Promise<RpcResponse> {
    return this.post(toolRequest(id, name, args));
  }

  private async post(body: string): Promise<RpcResponse> {
    const res = await httpRequest(this.agent, this.base, 'POST', this.path, this.headers, body);
    if (res.status !== 200) throw new Error(`tools/call: HTTP ${res.status} ${res.body.slice(0, 200)}`);
    return parseRpcBody(res);
  }

  async close(): Promise<void> {
    try {
      await httpRequest(this.agent, this.base, 'DELETE', this.path, this.headers);
    } finally {
      this.agent.destroy();
    }
  }
}

// ---- legacy HTTP+SSE ---------------------------------------------------------------------------------------

/** GET opens the stream (first event: the POST endpoint); POSTs get 202; answers come as `message` events. */
export class SseSession implements BenchSession {
  /** The stream's socket. */
  private readonly streamAgent = new http.Agent({ keepAlive: false, maxSockets: 1 });
  /** The POSTs' keep-alive socket. */
  private readonly postAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly base: URL;
  private readonly headers: http.OutgoingHttpHeaders;
  private stream: http.ClientRequest | null = null;
  private postPath = '';
  private readonly pending = new Map<number | string, (msg: RpcResponse) => void>();
  private failure: Error | null = null;
  /** The unfinished line, and the event being read (see onData). */
  private readonly partial: string[] = [];
  private eventType = 'message';
  private eventData: string[] = [];

  private constructor(private readonly target: GatewayTarget) {
    this.base = new URL(target.url);
    this.headers = { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' };
  }

  static async open(target: GatewayTarget): Promise<SseSession> {
    const s = new SseSession(target);
    try {
      await s.connect();
      const init = await s.request(0, JSON.stringify(initializeRequest(0)));
      if (init.error) throw new Error(`initialize failed: ${init.error.message}`);
      const ack = await s.post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      if (ack.status !== 202) throw new Error(`notifications/initialized: HTTP ${ack.status}`);
      return s;
    } catch (err) {
      s.destroy();
      throw err;
    }
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      let endpointSeen = false;
      const req = http.request(
        {
          agent: this.streamAgent,
          host: this.base.hostname,
          port: this.base.port,
          method: 'GET',
          path: `/servers/${encodeURIComponent(this.target.name)}/sse`,
          headers: { authorization: this.headers.authorization, accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            return reject(new Error(`GET /sse: HTTP ${res.statusCode}`));
          }
          res.setEncoding('utf8');
          const onEvent = (type: string, data: string) => {
            if (type === 'endpoint' && !endpointSeen) {
              endpointSeen = true;
              this.postPath = data;
              resolve();
            } else if (type === 'message') this.onMessage(data);
          };
          res.on('data', (chunk: string) => this.onData(chunk, onEvent));
          res.on('close', () => this.fail(new Error('the SSE stream closed')));
        },
      );
      req.on('error', (err) => {
        reject(err);
        this.fail(err);
      });
      req.end();
      this.stream = req;
    });
  }

  /** SSE read line by line (splitLines), so a 10 MiB event is not the client's slow part either. */
  private onData(chunk: string, onEvent: (type: string, data: string) => void): void {
    splitLines(this.partial, chunk, (line) => {
      if (line === '') {
        // A blank line ends the event; comments (keepalives) carry no data and make none.
        if (this.eventData.length) onEvent(this.eventType, this.eventData.join('\n'));
        this.eventType = 'message';
        this.eventData = [];
      } else if (line.startsWith('data:')) this.eventData.push(line.slice(line[5] === ' ' ? 6 : 5));
      else if (line.startsWith('event:')) this.eventType = line.slice(6).trim();
    });
  }

  private onMessage(data: string): void {
    const msg = JSON.parse(data) as RpcResponse;
    const resolve = this.pending.get(msg.id as number);
    if (resolve) {
      this.pending.delete(msg.id as number);
      resolve(msg);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const [id, resolve] of this.pending)
      resolve({ jsonrpc: '2.0', id, error: { code: -32000, message: err.message } });
    this.pending.clear();
  }

  private post(body: string): Promise<HttpResult> {
    return httpRequest(this.postAgent, this.base, 'POST', this.postPath, this.headers, body);
  }

  /** Resolves when both the POST's 202 and the answer on the stream have arrived. */
  private async request(id: number, body: string): Promise<RpcResponse> {
    if (this.failure) throw this.failure;
    const answer = new Promise<RpcResponse>((resolve) => this.pending.set(id, resolve));
    const ack = await this.post(body);
    if (ack.status !== 202) {
      this.pending.delete(id);
      throw new Error(`POST: HTTP ${ack.status} ${ack.body.slice(0, 200)}`);
    }
    return answer;
  }

  call(id: number, message: string): Promise<RpcResponse> {
    return this.request(id, echoRequest(id, message));
  }

  callTool(id: number, name: string, args: Record<string, unknown>): Promise<RpcResponse> {
    return this.request(id, toolRequest(id, name, args));
  }

  private destroy(): void {
    this.stream?.destroy();
    this.streamAgent.destroy();
    this.postAgent.destroy();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('closed');
    this.destroy();
  }
}
