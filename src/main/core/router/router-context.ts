import type { JsonRpcId, JsonRpcMessage } from '../protocol/jsonrpc.js';
import type { Logger } from '../util/logger.js';
import type { FrameTap } from './frame-tap.js';
import type { PendingRequests } from './pending-requests.js';
import type { RouterOptions } from './router-options.js';
import type { ServerRequests } from './server-request-target.js';
import type { DownstreamSession } from './session.js';
import type { SharedSessionState } from './shared-state.js';

/**
 * What a SessionRouter lends the pieces that handle its traffic (server-messages.ts, unanswered.ts). The router
 * owns all of it; they read and update it through this, so the state of one child stays in one place.
 */
export interface RouterContext {
  readonly name: string;
  readonly options: RouterOptions;
  readonly logger: Logger;
  readonly sessions: ReadonlySet<DownstreamSession>;
  readonly pending: PendingRequests;
  readonly serverRequests: ServerRequests;
  readonly shared: SharedSessionState;
  readonly tap: FrameTap;
  /** Writes one message to the child; false when it is not accepting input. */
  sendUp(msg: JsonRpcMessage, session?: DownstreamSession | null, clientId?: JsonRpcId): boolean;
}
