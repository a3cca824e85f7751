import type { JsonRpcId, JsonRpcMessage } from '../protocol/jsonrpc.js';

export interface ClientInfo {
  name: string;
  version?: string;
}

/**
 * One downstream client session, whatever its transport. The router only ever talks to a client through
 * `deliver`; the transport decides which HTTP stream carries the message.
 */
export interface DownstreamSession {
  readonly id: string;
  readonly transport: 'streamable-http' | 'sse' | 'websocket' | 'internal';
  clientInfo?: ClientInfo;
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;
  /** This session's requests in flight upstream: the client's id → the id the child saw. */
  readonly inflight: Map<JsonRpcId, number>;
  /** Resource URIs this session subscribed to. */
  readonly subscriptions: Set<string>;
  /**
   * Sends a message to the client. `relatedTo` is the client's request id the message belongs to (its response,
   * its progress, a sampling request made while serving it), so a transport can use that request's stream.
   */
  deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void;
}

export function createSessionState(): Pick<DownstreamSession, 'inflight' | 'subscriptions'> {
  return { inflight: new Map(), subscriptions: new Set() };
}
