import type { JsonRpcId, JsonRpcMessage } from '../protocol/jsonrpc.js';

export interface ClientInfo {
  name: string;
  version?: string;
}

/** MCP log levels, least to most severe (RFC 5424 order). */
export const logLevels = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * One downstream client session, whatever its transport. The router only ever talks to a client through
 * `deliver`; the transport decides which stream carries the message.
 */
export interface DownstreamSession {
  readonly id: string;
  readonly transport: 'streamable-http' | 'sse' | 'websocket' | 'internal';
  clientInfo?: ClientInfo;
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;
  /** An internal session that only listens (the aggregate's list watcher): never the target of a server request. */
  readonly observer?: boolean;
  /** The level this session asked for with `logging/setLevel` (a shared child's level is the gateway's to keep). */
  logLevel?: LogLevel;
  /** This session's requests in flight upstream: the client's id → the id the child saw. */
  readonly inflight: Map<JsonRpcId, number>;
  /** Resource URIs this session subscribed to. */
  readonly subscriptions: Set<string>;
  /**
   * Sends a message to the client. `relatedTo` is the client's request id the message belongs to (its response,
   * its progress, a sampling request made while serving it), so a transport can use that request's stream.
   */
  deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void;
  /**
   * Whether a message sent now would reach the client (an open stream or socket; for `relatedTo`, that
   * request's stream or the session's own). A server→client request goes only to a session that can receive it.
   */
  canReceive(relatedTo?: JsonRpcId): boolean;
  /** The client cancelled `clientId`: whatever waits for its answer ends now, and the id can be used again. */
  release(clientId: JsonRpcId, reason: string): void;
  /**
   * A limit needs this session's place: end it (or its use of this server) if it can go without loss; false
   * when it cannot. Absent: the owner of the session decides (the session table evicts only idle sessions).
   */
  evict?(reason: string): boolean;
  /**
   * True for a transport that only serializes what it is given (the gateway's): a large response may then reach
   * it as a RawResponse, the server's bytes with the id swapped. The aggregate's link takes one when its client does,
   * and makes it a plain object itself when it must rewrite it (aggregate-session.ts).
   */
  readonly acceptsRawJson?: boolean;
}

/**
 * What every transport's session has in common: identity, what the client declared, its requests in flight and
 * its per-session MCP state. Transports add how a message reaches the client; limits live in the SessionTable.
 */
export abstract class ClientSession implements DownstreamSession {
  abstract readonly transport: DownstreamSession['transport'];
  readonly inflight = new Map<JsonRpcId, number>();
  readonly subscriptions = new Set<string>();
  clientInfo?: ClientInfo;
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;
  logLevel?: LogLevel;
  /** Last time the client sent something (the session table evicts the least recently active idle session). */
  lastActive = Date.now();
  readonly acceptsRawJson = true;

  constructor(readonly id: string) {}

  abstract deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void;
  abstract canReceive(relatedTo?: JsonRpcId): boolean;

  /** Nothing waits per request on a plain stream or socket; Streamable HTTP closes the request's POST. */
  release(_clientId: JsonRpcId, _reason: string): void {}

  /** True when the session holds nothing open: no stream or socket, nothing in flight. Only such are evicted. */
  abstract get idle(): boolean;

  /** Ends the transport side (streams, sockets); the session table has already detached it from its router. */
  abstract close(reason: string): void;
}
