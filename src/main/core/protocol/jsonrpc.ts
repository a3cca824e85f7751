/**
 * JSON-RPC 2.0 shapes as they cross Switchboard. The gateway parses each message once and then only reads and
 * rewrites a few fields (id, method, params._meta.progressToken), so these types are deliberately loose.
 */
export type JsonRpcId = string | number;

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: JsonRpcId | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: JsonRpcError;
}

export interface JsonRpcRequest extends JsonRpcMessage {
  id: JsonRpcId;
  method: string;
}

export interface JsonRpcResponse extends JsonRpcMessage {
  id: JsonRpcId | null;
  method?: undefined;
}

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The server process is not available (exited, failed to start, stopped). */
  ServerUnavailable: -32000,
  /** The request waited longer than its timeout. */
  RequestTimeout: -32001,
  /** The message was larger than the configured cap. */
  MessageTooLarge: -32002,
  /** Too many requests are waiting for a server that is starting or not reading its input. */
  Overloaded: -32003,
  /** MCP's "resource not found". */
  ResourceNotFound: -32002,
  /** The client cancelled the request (the answer a still-open POST gets). */
  Cancelled: -32800,
} as const;

export type MessageKind = 'request' | 'notification' | 'response' | 'invalid';

function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Classifies an already parsed value; anything that is not a JSON-RPC 2.0 object is 'invalid'. */
export function classify(value: unknown): MessageKind {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'invalid';
  const msg = value as JsonRpcMessage;
  if (msg.jsonrpc !== '2.0') return 'invalid';
  if (typeof msg.method === 'string') {
    if (msg.params !== undefined && (msg.params === null || typeof msg.params !== 'object')) return 'invalid';
    if (msg.id === undefined) return 'notification';
    return isId(msg.id) ? 'request' : 'invalid';
  }
  if (msg.method !== undefined) return 'invalid';
  if ((msg.id === null || isId(msg.id)) && ('result' in msg || 'error' in msg)) return 'response';
  return 'invalid';
}

export function errorResponse(id: JsonRpcId | null, code: number, message: string, data?: unknown): JsonRpcResponse {
  const error: JsonRpcError = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: '2.0', id, error };
}

export function resultResponse(id: JsonRpcId, result: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', id, result };
}

/** The progress token a request carries in params._meta, if any. */
export function progressTokenOf(msg: JsonRpcMessage): JsonRpcId | undefined {
  const meta = msg.params?._meta as { progressToken?: unknown } | undefined;
  const token = meta?.progressToken;
  return isId(token) ? token : undefined;
}
