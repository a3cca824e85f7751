import type { JsonRpcId } from '../protocol/jsonrpc.js';
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

/**
 * The session a server→client request belongs to. Over stdio the child cannot say which request made it ask,
 * so: the capable session with the most recent request in flight (the one being served), else any capable
 * session, else none. Never a broadcast.
 */
export function pickSessionFor(sessions: Iterable<DownstreamSession>, capability: string): RequestTarget | null {
  let best: RequestTarget | null = null;
  let bestUpId = -1;
  let idle: DownstreamSession | null = null;
  for (const s of sessions) {
    if (!s.clientCapabilities || !(capability in s.clientCapabilities)) continue;
    idle ??= s;
    for (const [clientId, upId] of s.inflight) {
      if (upId > bestUpId) {
        bestUpId = upId;
        best = { session: s, relatedTo: clientId };
      }
    }
  }
  return best ?? (idle ? { session: idle } : null);
}

/** Server→client requests in flight: the child's id → the session it was sent to, and only that one may answer. */
export class ServerRequests {
  private readonly owners = new Map<JsonRpcId, DownstreamSession>();

  track(id: JsonRpcId, session: DownstreamSession): void {
    this.owners.set(id, session);
  }

  /** True (and forgotten) when `session` is the one that was asked; any other session's answer is refused. */
  answer(id: JsonRpcId, session: DownstreamSession): boolean {
    if (this.owners.get(id) !== session) return false;
    this.owners.delete(id);
    return true;
  }

  /** The child withdrew its request: the session to tell, if any. */
  withdraw(id: JsonRpcId): DownstreamSession | undefined {
    const session = this.owners.get(id);
    this.owners.delete(id);
    return session;
  }

  /** A session ended: the ids of the questions it will never answer. */
  dropSession(session: DownstreamSession): JsonRpcId[] {
    const ids = [...this.owners].filter(([, owner]) => owner === session).map(([id]) => id);
    for (const id of ids) this.owners.delete(id);
    return ids;
  }

  clear(): void {
    this.owners.clear();
  }
}
