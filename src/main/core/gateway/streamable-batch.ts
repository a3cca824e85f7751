import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ErrorCode,
  classify,
  errorResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from '../protocol/jsonrpc.js';
import { describeId } from '../protocol/json-text.js';
import { defaultHeaderProtocolVersion } from '../protocol/versions.js';
import type { Exchange } from './exchange.js';
import { HttpError, sendJson } from './http-util.js';
import type { TransportRouter } from './streamable-http.js';
import type { StreamableSession } from './streamable-session.js';

/** Protocol 2025-06-18 removed JSON-RPC batching; versions are dates, so they compare as strings. */
export function batchesAllowed(protocolVersion: string): boolean {
  return protocolVersion < '2025-06-18';
}

export interface BatchContext {
  router: TransportRouter;
  /** Registers one exchange for every request id of the batch: it answers when all are answered. */
  openExchange(ids: JsonRpcId[]): Exchange;
}

function idOf(value: unknown): JsonRpcId | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * A JSON-RPC batch POSTed by a session that negotiated 2025-03-26 (or older): its notifications and responses go
 * to the router at once; its requests are answered together, as one JSON array (or an SSE stream if the server
 * sends something first). A batch of notifications and responses only gets 202. Later protocol versions get 400.
 */
export function handleBatch(
  body: unknown[],
  session: StreamableSession,
  req: IncomingMessage,
  res: ServerResponse,
  cors: Record<string, string>,
  context: BatchContext,
): void {
  const header = req.headers['mcp-protocol-version'];
  const version = session.protocolVersion ?? (typeof header === 'string' ? header : defaultHeaderProtocolVersion);
  if (!batchesAllowed(version)) {
    throw new HttpError(
      400,
      `Bad Request: JSON-RPC batches were removed in protocol 2025-06-18 and this session uses ${version}; send one message per POST`,
    );
  }
  if (body.length === 0) throw new HttpError(400, 'Invalid Request: the batch is empty', ErrorCode.InvalidRequest);
  const errors: JsonRpcMessage[] = [];
  const requests: JsonRpcRequest[] = [];
  const others: JsonRpcMessage[] = [];
  const ids = new Set<JsonRpcId>();
  for (const item of body) {
    const kind = classify(item);
    const msg = item as JsonRpcMessage;
    if (kind === 'invalid') {
      errors.push(errorResponse(idOf(item), ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message'));
    } else if (kind !== 'request') {
      others.push(msg);
    } else if (msg.method === 'initialize') {
      errors.push(errorResponse(msg.id!, ErrorCode.InvalidRequest, 'initialize must not be part of a batch'));
    } else if (ids.has(msg.id!) || session.exchanges.has(msg.id!)) {
      errors.push(
        errorResponse(msg.id!, ErrorCode.InvalidRequest, `request id ${describeId(msg.id)} is already in flight`),
      );
    } else {
      ids.add(msg.id!);
      requests.push(msg as JsonRpcRequest);
    }
  }

  for (const msg of others) context.router.fromClient(session, msg);
  if (requests.length === 0) {
    if (errors.length > 0) return sendJson(res, 200, errors, { ...cors, 'mcp-session-id': session.id });
    res.writeHead(202, cors).end();
    return;
  }
  const exchange = context.openExchange([...ids]);
  for (const e of errors) exchange.preanswer(e);
  for (const msg of requests) context.router.fromClient(session, msg);
}
