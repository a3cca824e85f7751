import type { JsonRpcId, JsonRpcRequest } from '../protocol/jsonrpc.js';
import type { DownstreamSession } from './session.js';

/** Capabilities a client must have declared to be sent a server→client request. */
export const capabilityFor: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export interface RequestTarget {
  session: DownstreamSession;
  /** The session's request the server is serving when it asks: its stream can carry the question. */
  relatedTo?: JsonRpcId;
}

export type TargetDecision = { ok: true; target: RequestTarget } | { ok: false; why: string; ambiguous?: boolean };

export interface TargetQuery {
  sessions: Iterable<DownstreamSession>;
  /** The session a task named in the request's `_meta` belongs to, if any. */
  taskOwner?: DownstreamSession;
  /** Switchboard's own requests in flight (explorer calls, lists) that could have made the server ask. */
  internalInFlight: number;
  /** The child belongs to one client session (per-session): that session is the only possible target. */
  exclusive: boolean;
}

/**
 * Who a server→client request is for — only when that is certain. Over stdio a child cannot say which request
 * made it ask, so the gateway never guesses: the request goes to the session whose task it names; else to the
 * one session with requests in flight; else, when nothing is in flight, to the only client the child has. Any
 * other case (two clients busy at once, Switchboard's own call in flight) is refused with the reason, and so is a
 * target that did not declare the capability or has no open stream to receive it now.
 */
export function pickTarget(msg: JsonRpcRequest, q: TargetQuery): TargetDecision {
  const capability = capabilityFor[msg.method];
  let session = q.taskOwner;
  if (!session) {
    const clients = [...q.sessions].filter((s) => !s.observer);
    const busy = clients.filter((s) => s.inflight.size > 0);
    if (q.exclusive) session = clients[0];
    else if (busy.length + (q.internalInFlight > 0 ? 1 : 0) > 1) {
      const who = `${busy.length} client sessions${q.internalInFlight > 0 ? ' and Switchboard itself' : ''}`;
      return {
        ok: false,
        ambiguous: true,
        why:
          `Switchboard cannot tell which client ${msg.method} is for: ${who} have requests in flight on this ` +
          `shared server. Set the server's sharing to "per-session" (or "auto") so each client has its own child.`,
      };
    } else if (busy.length === 1) session = busy[0];
    else if (q.internalInFlight > 0) {
      return { ok: false, why: `${msg.method} arrived while only Switchboard's own request was in flight` };
    } else if (clients.length === 1) session = clients[0];
    else {
      return {
        ok: false,
        ambiguous: clients.length > 1,
        why:
          clients.length === 0
            ? `no client is connected to receive ${msg.method}`
            : `Switchboard cannot tell which of ${clients.length} connected clients ${msg.method} is for: none has a request in flight`,
      };
    }
  }
  if (!session) return { ok: false, why: `no client is connected to receive ${msg.method}` };
  if (!q.exclusive && capability && !(capability in (session.clientCapabilities ?? {}))) {
    return { ok: false, why: `the client this ${msg.method} is for did not declare the ${capability} capability` };
  }
  const relatedTo = latestRequest(session);
  if (!session.canReceive(relatedTo)) {
    return { ok: false, why: `the client this ${msg.method} is for has no open stream to receive it` };
  }
  return { ok: true, target: { session, relatedTo } };
}

/** The session's most recent request in flight (the highest upstream id): the stream most likely still open. */
function latestRequest(session: DownstreamSession): JsonRpcId | undefined {
  let best: JsonRpcId | undefined;
  let bestUp = -1;
  for (const [clientId, upId] of session.inflight) {
    if (upId > bestUp) {
      bestUp = upId;
      best = clientId;
    }
  }
  return best;
}

interface Owner {
  session: DownstreamSession;
  deadline: number;
}

/** Server→client requests in flight: the child's id → the session it was sent to, and only that one may answer. */
export class ServerRequests {
  private readonly owners = new Map<JsonRpcId, Owner>();

  track(id: JsonRpcId, session: DownstreamSession, deadline: number): void {
    this.owners.set(id, { session, deadline });
  }

  /** True (and forgotten) when `session` is the one that was asked; any other session's answer is refused. */
  answer(id: JsonRpcId, session: DownstreamSession): boolean {
    if (this.owners.get(id)?.session !== session) return false;
    this.owners.delete(id);
    return true;
  }

  /** The child withdrew its request: the session to tell, if any. */
  withdraw(id: JsonRpcId): DownstreamSession | undefined {
    const owner = this.owners.get(id);
    this.owners.delete(id);
    return owner?.session;
  }

  /** A session ended: the ids of the questions it will never answer. */
  dropSession(session: DownstreamSession): JsonRpcId[] {
    const ids = [...this.owners].filter(([, owner]) => owner.session === session).map(([id]) => id);
    for (const id of ids) this.owners.delete(id);
    return ids;
  }

  /** Questions past their deadline, forgotten: the child gets an error, the client a cancellation. */
  takeExpired(now: number): Array<[JsonRpcId, DownstreamSession]> {
    const expired: Array<[JsonRpcId, DownstreamSession]> = [];
    for (const [id, owner] of this.owners) if (now >= owner.deadline) expired.push([id, owner.session]);
    for (const [id] of expired) this.owners.delete(id);
    return expired;
  }

  clear(): void {
    this.owners.clear();
  }
}
