import type { InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcMessage } from '../protocol/jsonrpc.js';
import type { FrameObserver } from '../telemetry/frame.js';
import type { DownstreamSession } from './session.js';

/**
 * What a transport endpoint needs from whatever routes its sessions: one shared child (SessionRouter) or a child
 * per session (PerSessionRouter). Transports are written against this, so sharing modes stay invisible to them.
 */
export interface ClientRouter {
  fromClient(session: DownstreamSession, msg: JsonRpcMessage): void;
  detach(session: DownstreamSession, reason?: string): void;
  /** Switchboard's own request (health pings, the dashboard's explorer). */
  request(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  observe(observer: FrameObserver | null): void;
  readonly inflightCount: number;
  readonly serverInitialize: InitializeResult | null;
}
