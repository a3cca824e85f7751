import { Agent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { authHeaders } from './engine.js';

/** Raw HTTP helpers for the gateway tests: node:http, so Host, Origin and bodies are exactly what the test says. */

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** A header whose value is '' is left out, so a test can drop one set by default (e.g. authorization). */
  headers?: Record<string, string>;
  /** A string/Buffer is sent with a content-length; an array of chunks is sent chunked (no content-length). */
  body?: string | Buffer | Buffer[];
  agent?: Agent;
}

/**
 * One request; resolves with the whole response. Once the response has arrived, later socket errors (the server
 * closing a connection whose upload it refused) are ignored: the client already has its answer.
 */
export function raw(url: string, { method = 'GET', headers = {}, body, agent }: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const sent = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
    const req = httpRequest(url, { method, headers: sent, agent }, (res: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (Array.isArray(body)) {
      const chunks = [...body];
      const pump = (): void => {
        while (chunks.length > 0) {
          if (answered || req.destroyed) return;
          if (!req.write(chunks.shift()!)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    } else req.end(body);
  });
}

export const initializeMessage = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
} as const;

export const mcpHeaders = {
  ...authHeaders,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** POSTs one JSON-RPC message (or a raw string) to a Streamable HTTP endpoint. */
export function postMcp(
  endpoint: string,
  message: unknown,
  headers: Record<string, string> = {},
  agent?: Agent,
): Promise<RawResponse> {
  const body = typeof message === 'string' ? message : JSON.stringify(message);
  return raw(endpoint, { method: 'POST', headers: { ...mcpHeaders, ...headers }, body, agent });
}

/** A raw Streamable HTTP session: initialize, then notifications/initialized. Returns the Mcp-Session-Id. */
export async function openSession(endpoint: string, headers: Record<string, string> = {}): Promise<string> {
  const init = await postMcp(endpoint, initializeMessage, headers);
  if (init.status !== 200) throw new Error(`initialize answered ${init.status}: ${init.body}`);
  const sessionId = init.headers['mcp-session-id'];
  if (typeof sessionId !== 'string') throw new Error('initialize answered without an mcp-session-id');
  const note = await postMcp(
    endpoint,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { 'mcp-session-id': sessionId, ...headers },
  );
  if (note.status !== 202) throw new Error(`notifications/initialized answered ${note.status}: ${note.body}`);
  return sessionId;
}

export function toolCall(id: number | string, name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

/** The text of a tools/call answer sent as plain JSON. */
export function toolText(res: RawResponse): string {
  const msg = JSON.parse(res.body) as { result?: { content?: Array<{ text?: string }> }; error?: unknown };
  if (!msg.result) throw new Error(`not a result: ${res.body}`);
  return (msg.result.content ?? []).map((c) => c.text ?? '').join('');
}

export function jsonRpcErrorCode(res: RawResponse): number | undefined {
  return (JSON.parse(res.body) as { error?: { code?: number } }).error?.code;
}

/** An open legacy SSE stream: the endpoint it named, and a way to hang up. */
export interface RawSseStream {
  status: number;
  /** The POST path the `endpoint` event named, e.g. /servers/fx/messages?sessionId=… */
  endpoint: string;
  close(): void;
}

export function openSseStream(url: string, headers: Record<string, string> = authHeaders): Promise<RawSseStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`SSE GET answered ${res.statusCode}`));
      }
      let text = '';
      res.setEncoding('utf8');
      const onData = (chunk: string): void => {
        text += chunk;
        const match = /event: endpoint\ndata: (.+)\n\n/.exec(text);
        if (!match) return;
        res.off('data', onData);
        res.resume();
        resolve({ status: res.statusCode ?? 0, endpoint: match[1]!, close: () => req.destroy() });
      };
      res.on('data', onData);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns the status line's code (for requests node:http will not write, e.g. no Host). */
export function rawStatus(port: number, requestText: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(requestText));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', reject);
    socket.on('close', () => {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`no HTTP status line in ${JSON.stringify(text.slice(0, 200))}`));
    });
  });
}
