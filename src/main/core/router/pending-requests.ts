import type { JsonRpcId, JsonRpcMessage } from '../protocol/jsonrpc.js';
import type { DownstreamSession } from './session.js';

const BOOKKEEPING = /^(initialize|ping|logging\/setLevel|resources\/(un)?subscribe|[a-z]+(\/templates)?\/list)$/;

/** A request the child has been sent and not yet answered. */
export interface Pending {
  /** null: Switchboard's own request (initialize, ping, explorer calls). */
  session: DownstreamSession | null;
  clientId: JsonRpcId;
  method: string;
  clientProgressToken?: JsonRpcId;
  startedAt: number;
  /** performance.now() when it went up: latency with sub-millisecond resolution. */
  sentAt: number;
  deadline: number;
  internal?: (msg: JsonRpcMessage) => void;
}

/** Answers a pending request: Switchboard's own callback, or the client session with its own id restored. */
export function settle(entry: Pending, msg: JsonRpcMessage): void {
  if (entry.internal) return entry.internal(msg);
  const session = entry.session!;
  session.inflight.delete(entry.clientId);
  msg.id = entry.clientId;
  session.deliver(msg, entry.clientId);
}

/** Why a request timed out: its idle timeout, or the hard maximum however much progress came. */
export function timeoutReason(entry: Pending, now: number, maxMs: number): string {
  const elapsed = now - entry.startedAt;
  const seconds = elapsed < 10_000 ? (elapsed / 1000).toFixed(1) : String(Math.round(elapsed / 1000));
  return entry.deadline >= entry.startedAt + maxMs
    ? `${entry.method} timed out after ${seconds} s: over the maximum of ${maxMs / 1000} s, progress or not`
    : `${entry.method} timed out after ${seconds} s without an answer or progress`;
}

/**
 * The requests in flight to one child, keyed by the upstream id Switchboard gave them. Upstream ids are unique
 * across sessions (one counter), which is what keeps two clients' answers apart; the same number doubles as the
 * request's progress token upstream.
 */
export class PendingRequests {
  private readonly entries = new Map<number, Pending>();
  private nextId = 1;

  /** The next upstream id; `set` registers the entry under it once built (its progress token carries the id). */
  nextUpId(): number {
    return this.nextId++;
  }

  set(id: number, entry: Pending): void {
    this.entries.set(id, entry);
  }

  get(id: number): Pending | undefined {
    return this.entries.get(id);
  }

  /** Removes and returns the entry: a second answer (or a late one after a cancel) finds nothing. */
  take(id: number): Pending | undefined {
    const entry = this.entries.get(id);
    if (entry) this.entries.delete(id);
    return entry;
  }

  delete(id: number): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Switchboard's own requests in flight that could make a server ask a client something: not the handshake, a
   * ping, a list (after every start, and on every list_changed) or the log level and subscriptions it keeps for the
   * sessions; those are bookkeeping no server answers with a question.
   */
  internalCount(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (!entry.session && !BOOKKEEPING.test(entry.method)) n++;
    return n;
  }

  /** Every entry, removed: the child is gone. */
  drain(): Pending[] {
    const all = [...this.entries.values()];
    this.entries.clear();
    return all;
  }

  /** Entries past their deadline, removed. */
  takeExpired(now: number): Array<[number, Pending]> {
    const expired: Array<[number, Pending]> = [];
    for (const [id, entry] of this.entries) if (now >= entry.deadline) expired.push([id, entry]);
    for (const [id] of expired) this.entries.delete(id);
    return expired;
  }
}
