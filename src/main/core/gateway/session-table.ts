import { ErrorCode } from '../protocol/jsonrpc.js';
import type { ClientSession } from '../router/session.js';
import type { Logger } from '../util/logger.js';
import { HttpError } from './http-util.js';
import { TokenBucket } from './rate-limit.js';
import type { EndpointLimits, TransportRouter } from './streamable-http.js';

/**
 * The sessions of one endpoint set (a server's, or the aggregate's) across all three transports, and the one
 * place their limits are enforced: the session cap (the least recently active idle session is evicted before a
 * client is refused), expiry of idle sessions, and each session's rate limit. Ending a session, for whatever
 * reason, goes through `end`, so the router hears of it exactly once.
 */
export class SessionTable {
  private readonly sessions = new Map<string, ClientSession>();
  private readonly buckets = new WeakMap<ClientSession, TokenBucket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly router: TransportRouter,
    private readonly limits: EndpointLimits,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => this.expireIdle(), Math.min(60_000, Math.max(limits.sessionIdleMs / 4, 10)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** At the cap: a new session will cost an idle one its place, or be refused. /health says degraded. */
  get atCap(): boolean {
    return this.sessions.size >= this.limits.maxSessions;
  }

  get(id: string): ClientSession | undefined {
    return this.sessions.get(id);
  }

  values(): IterableIterator<ClientSession> {
    return this.sessions.values();
  }

  /** Makes room for one more session, evicting the least recently active idle one; 503 when none is idle. */
  admit(): void {
    if (!this.atCap || this.evictIdlest('the session limit was reached')) return;
    throw new HttpError(
      503,
      `Service Unavailable: ${this.sessions.size} sessions are open and all are active (limit ${this.limits.maxSessions})`,
      ErrorCode.Overloaded,
      { 'retry-after': '5' },
    );
  }

  /**
   * Ends the least recently active idle session (of those `which` accepts), so a limit makes room for a client
   * that is here now rather than refuse it; false when every session is in use.
   */
  evictIdlest(why: string, which: (s: ClientSession) => boolean = () => true): boolean {
    let oldest: ClientSession | null = null;
    for (const s of this.sessions.values()) {
      if (s.idle && which(s) && (!oldest || s.lastActive < oldest.lastActive)) oldest = s;
    }
    if (!oldest) return false;
    this.logger.info('evicted the least recently active idle session to make room', {
      session: oldest.id,
      idleMs: Date.now() - oldest.lastActive,
      why,
    });
    this.end(oldest, `evicted: ${why} and this session was the longest idle`);
    return true;
  }

  add<S extends ClientSession>(session: S): S {
    this.admit();
    this.sessions.set(session.id, session);
    this.buckets.set(session, new TokenBucket(this.limits.rate.perSecond, this.limits.rate.burst));
    return session;
  }

  /** Counts `n` messages against the session's rate limit; false when over it. */
  allow(session: ClientSession, n = 1): boolean {
    session.lastActive = Date.now();
    const bucket = this.buckets.get(session);
    for (let i = 0; i < n; i++) if (bucket && !bucket.take()) return false;
    return true;
  }

  /** As `allow`, for HTTP: over the limit is a 429 with Retry-After. */
  charge(session: ClientSession, n = 1): void {
    if (this.allow(session, n)) return;
    throw new HttpError(429, 'Too Many Requests', ErrorCode.Overloaded, {
      'retry-after': String(this.buckets.get(session)?.retryAfterSeconds() ?? 1),
    });
  }

  /** Ends a session once: the router lets go of it (cancelling what it had in flight), then its transport closes. */
  end(session: ClientSession, reason: string): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.router.detach(session, reason);
    session.close(reason);
  }

  private expireIdle(): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (!session.idle || now - session.lastActive <= this.limits.sessionIdleMs) continue;
      this.logger.info('closed an idle session', { session: session.id, idleMs: now - session.lastActive });
      this.end(session, 'idle');
    }
  }

  closeAll(reason: string): void {
    clearInterval(this.sweeper);
    for (const s of [...this.sessions.values()]) this.end(s, reason);
  }
}
