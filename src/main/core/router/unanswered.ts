import { ErrorCode, errorResponse, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { settle, timeoutReason, type Pending } from './pending-requests.js';
import type { RouterContext } from './router-context.js';

/**
 * Ends what will not be answered, with the gateway's own error: requests the child left past their deadline or
 * still had in flight when it exited, and the child's own requests a client left unanswered.
 */
export class Unanswered {
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ctx: Pick<RouterContext, 'options' | 'pending' | 'serverRequests' | 'tap' | 'sendUp'>) {
    // A quarter second is fine-grained enough for timeouts of seconds, and scanning even thousands of pending
    // entries four times a second costs nothing measurable.
    this.timer = setInterval(() => this.expire(), 250);
    this.timer.unref();
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** The child is gone: every request in flight fails with `reason`, and its own requests are forgotten. */
  childExited(reason: string): void {
    for (const entry of this.ctx.pending.drain()) {
      const why = `${reason} while the request was in flight`;
      this.settleWithError(entry, errorResponse(entry.clientId, ErrorCode.ServerUnavailable, why));
    }
    this.ctx.serverRequests.clear();
  }

  private expire(): void {
    const { options } = this.ctx;
    const now = Date.now();
    for (const [upId, entry] of this.ctx.pending.takeExpired(now)) {
      const why = timeoutReason(entry, now, options.maxRequestTimeoutMs);
      this.ctx.sendUp({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upId, reason: why } });
      this.settleWithError(entry, errorResponse(entry.clientId, ErrorCode.RequestTimeout, why));
    }
    for (const [childId, session] of this.ctx.serverRequests.takeExpired(now)) {
      const why = `the client did not answer within ${options.serverRequestTimeoutMs / 1000} s`;
      session.deliver({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: childId, reason: why },
      });
      this.ctx.sendUp(errorResponse(childId, ErrorCode.RequestTimeout, why));
    }
  }

  /** Answers a request with the gateway's own error, recorded as the answer the client got (traffic pairs it). */
  private settleWithError(entry: Pending, msg: JsonRpcMessage): void {
    if (entry.session) {
      this.ctx.tap.down(JSON.stringify(msg), 'response', entry.session, {
        method: entry.method,
        clientId: entry.clientId,
        isError: true,
        latencyMs: performance.now() - entry.sentAt,
      });
    }
    settle(entry, msg);
  }
}
