import type { JsonRpcRequest } from '../protocol/jsonrpc.js';
import type { DownstreamSession } from './session.js';

export interface QueuedRequest {
  session: DownstreamSession;
  msg: JsonRpcRequest;
}

/**
 * Requests that arrive while the child is (re)starting wait here, bounded, instead of failing: nothing a client
 * already sent is lost to a restart. They go up once the handshake is done, or fail with the reason it did not.
 */
export class StartQueue {
  private items: QueuedRequest[] = [];

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.items.length;
  }

  /** False when full: the caller refuses the request. */
  push(item: QueuedRequest): boolean {
    if (this.items.length >= this.limit) return false;
    this.items.push(item);
    return true;
  }

  /** Everything queued, removed. */
  takeAll(): QueuedRequest[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  /** A session ended: its requests are not sent after all. */
  drop(session: DownstreamSession): void {
    this.items = this.items.filter((q) => q.session !== session);
  }
}
