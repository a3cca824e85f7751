import type { IncomingMessage } from 'node:http';
import type { AccessGuard } from '../../core/gateway/security.js';
import { SESSION_LABEL, cookieName, readCookie, sameValue } from './session-cookie.js';

/** How a request to the bridge was let in: the bearer header, the session cookie, or auth is off. */
export type Admission = 'bearer' | 'cookie' | 'open';

/** Who the request proves to be, or null: 401. The gateway has already checked the Host and the Origin. */
export function admit(req: IncomingMessage, guard: AccessGuard): Admission | null {
  if (!guard.authRequired) return 'open';
  if (guard.hasValidBearer(req)) return 'bearer';
  const expected = guard.deriveFromToken(SESSION_LABEL);
  const presented = readCookie(req, cookieName(req));
  return expected !== null && presented !== undefined && sameValue(presented, expected) ? 'cookie' : null;
}

/**
 * Requests that ride on ambient credentials (the cookie, or no auth at all) must come from the dashboard's own
 * origin. The gateway allows configured foreign origins (MCP Inspector on another port) for MCP traffic, but
 * another port on localhost is the same *site*, so a SameSite=Strict cookie would still be sent from there.
 * A bearer header, which a page can only send if it knows the token, is judged by the gateway's rules alone.
 */
export function sameOriginViolation(req: IncomingMessage, admission: Admission): string | null {
  if (admission === 'bearer') return null;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    return `Forbidden: the dashboard API only answers its own pages (Sec-Fetch-Site: ${site})`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  const host = (req.headers.host ?? '').toLowerCase();
  const normalized = origin.toLowerCase();
  if (normalized === `http://${host}` || normalized === `https://${host}`) return null;
  return `Forbidden: the dashboard API only answers its own pages, not Origin ${JSON.stringify(origin)}`;
}
