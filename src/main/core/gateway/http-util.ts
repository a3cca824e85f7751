import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonTextError, readJson, writeJson } from '../protocol/json-text.js';
import { ErrorCode, errorResponse } from '../protocol/jsonrpc.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly jsonRpcCode: number = ErrorCode.InvalidRequest,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Answers with a JSON-RPC error body, as MCP clients expect even for HTTP-level failures. */
export function sendError(res: ServerResponse, err: HttpError): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify(errorResponse(null, err.jsonRpcCode, err.message));
  res.writeHead(err.status, {
    ...err.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = writeJson(value);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Reads a request body up to `limit` bytes. Over the cap: 413, and the connection is closed (its remaining bytes
 * are not worth reading); the MCP session itself is untouched and keeps working on the next request.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body is larger than ${limit} bytes`, ErrorCode.MessageTooLarge, {
    connection: 'close',
  });
}

/**
 * Parses a JSON body; malformed JSON is a -32700 parse error, as JSON-RPC says; nesting past the depth limit is
 * an invalid request, refused before anything is recorded. Ids come back exactly as written (see json-text.ts).
 */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return readJson(body.toString('utf8'));
  } catch (err) {
    if (err instanceof JsonTextError && err.kind === 'depth') throw new HttpError(400, err.message);
    throw new HttpError(400, 'Parse error: the body is not valid JSON', ErrorCode.ParseError);
  }
}

export function accepts(req: IncomingMessage, type: string): boolean {
  const accept = req.headers.accept;
  if (!accept) return true; // no Accept header means anything goes
  return accept.includes(type) || accept.includes('*/*');
}

/**
 * Writes one SSE event; returns false when the socket's buffer is full. `data` is one line of JSON: text, or its
 * UTF-8 bytes (a large answer forwarded as bytes), written around the event's head without being copied.
 */
export function writeSseEvent(res: ServerResponse, data: string | Buffer, event = 'message', id?: string): boolean {
  const head = `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: `;
  if (typeof data === 'string') return res.write(`${head}${data}\n\n`);
  res.cork();
  res.write(head);
  res.write(data);
  const ok = res.write('\n\n');
  res.uncork();
  return ok;
}

export function openSseStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
}
