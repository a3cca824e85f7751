import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-util.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface AccessOptions {
  /** Bearer token required on every API request; null turns auth off (the user said --no-auth). */
  token: string | null;
  /** Browser origins allowed besides the gateway's own (for example MCP Inspector's). */
  allowedOrigins: string[];
  /** Host names accepted in the Host header besides the loopback names and the bound host. */
  allowedHosts: string[];
  bindHost: string;
}

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  const colon = hostHeader.lastIndexOf(':');
  return colon === -1 ? hostHeader : hostHeader.slice(0, colon);
}

/**
 * Host/Origin checks (against DNS rebinding and drive-by browser pages), CORS, and the bearer token. All of it
 * runs before a request can reach a child.
 */
export class AccessGuard {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private tokenDigest: Buffer | null;

  constructor(private readonly options: AccessOptions) {
    this.hosts = new Set([...LOOPBACK_HOSTS, ...options.allowedHosts.map((h) => h.toLowerCase())]);
    if (options.bindHost !== '0.0.0.0' && options.bindHost !== '::') this.hosts.add(options.bindHost.toLowerCase());
    this.origins = new Set(options.allowedOrigins.map((o) => o.replace(/\/$/, '').toLowerCase()));
    this.tokenDigest = options.token === null ? null : digest(options.token);
  }

  /** A new token takes effect for the next request; null turns auth off. */
  setToken(token: string | null): void {
    this.tokenDigest = token === null ? null : digest(token);
  }

  get authRequired(): boolean {
    return this.tokenDigest !== null;
  }

  /** 403 unless the Host is ours and the Origin (if any) is allowed. Returns the allowed Origin for CORS. */
  checkHostAndOrigin(req: IncomingMessage): string | null {
    const host = req.headers.host;
    if (!host || !this.hosts.has(hostnameOf(host).toLowerCase())) {
      throw new HttpError(403, `Forbidden: Host ${JSON.stringify(host ?? '')} is not allowed`);
    }
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    const normalized = origin.toLowerCase();
    if (this.origins.has(normalized) || this.isOwnOrigin(normalized, host.toLowerCase())) return origin;
    throw new HttpError(403, `Forbidden: Origin ${JSON.stringify(origin)} is not allowed (see --allow-origin)`);
  }

  /** The gateway's own pages (the dashboard at /ui) call it from its own origin. */
  private isOwnOrigin(origin: string, host: string): boolean {
    return (origin === `http://${host}` || origin === `https://${host}`) && LOOPBACK_HOSTS.has(hostnameOf(host));
  }

  /** 401 unless the Authorization header carries the token. A token in the query string is refused, not read. */
  checkToken(req: IncomingMessage): void {
    if (!this.tokenDigest) return;
    const challenge = { 'www-authenticate': 'Bearer realm="switchboard"' };
    if (/[?&](token|access_token)=/.test(req.url ?? '')) {
      throw new HttpError(
        401,
        'Unauthorized: send the token in the Authorization header, never in the URL',
        -32001,
        challenge,
      );
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), this.tokenDigest)) {
      throw new HttpError(401, 'Unauthorized: a valid bearer token is required', -32001, {
        'www-authenticate': `Bearer realm="switchboard"${header ? ', error="invalid_token"' : ''}`,
      });
    }
  }

  /** True when `candidate` is the token (or auth is off). Constant-time. */
  verifyToken(candidate: string): boolean {
    if (!this.tokenDigest) return true;
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  /** True when the Authorization header carries the token. Unlike checkToken, it neither throws nor reads the URL. */
  hasValidBearer(req: IncomingMessage): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return match !== null && this.verifyToken(match[1]!.trim());
  }

  /**
   * A value derived from the token in force for `label` (HMAC-SHA256 keyed with the token's digest), so a cookie
   * can prove the token was shown without holding it, and stops working when the token changes. null: auth off.
   */
  deriveFromToken(label: string): string | null {
    if (this.tokenDigest === null) return null;
    return createHmac('sha256', this.tokenDigest).update(label).digest('base64url');
  }

  corsHeaders(origin: string | null): Record<string, string> {
    if (!origin) return {};
    return {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version, www-authenticate',
      vary: 'Origin',
    };
  }

  preflight(res: ServerResponse, origin: string | null): void {
    res.writeHead(204, {
      ...this.corsHeaders(origin),
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-allow-headers':
        'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
      'access-control-max-age': '600',
    });
    res.end();
  }
}

/** Hashing both sides gives equal lengths, so timingSafeEqual never leaks the token's length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
