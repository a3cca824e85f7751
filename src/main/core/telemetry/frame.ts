import type { JsonRpcId } from '../protocol/jsonrpc.js';

/**
 * One JSON-RPC frame on the wire between Switchboard and a child, as the router saw it. The payload is the exact
 * text that crossed stdin/stdout (ids as the child saw them); `clientId` and `session` say whose it was.
 */
export interface FrameEvent {
  /** 'up': towards the child (client or Switchboard → server); 'down': from the child. */
  direction: 'up' | 'down';
  server: string;
  /** The downstream session, or null for Switchboard's own traffic (initialize, health pings, explorer calls). */
  session: string | null;
  clientName?: string;
  kind: 'request' | 'notification' | 'response';
  /** For a response: the method of the request it answers. */
  method?: string;
  /** The id in the client's own id space (for responses too); undefined for notifications. */
  clientId?: JsonRpcId | null;
  /** True for a response carrying `error`. */
  isError?: boolean;
  /** For a response: milliseconds since its request went up. */
  latencyMs?: number;
  /**
   * Size of the frame: the string length of `payload` (cheap to get; UTF-8 may be longer), or for a large response
   * forwarded as bytes, its length in bytes.
   */
  size: number;
  time: number;
  payload: string;
  /** True when `payload` is only the start of the frame (a large response forwarded as bytes; see `size`). */
  payloadCut?: boolean;
}

/** Something that watches frames. Called on the hot path: it must only enqueue, never block or throw. */
export interface FrameObserver {
  onFrame(frame: FrameEvent): void;
  /** A client session ended (per-session state such as metric series can go). */
  onSessionClosed?(session: string, server: string): void;
}
