import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the cookie's value is derived from; a new version string logs every browser out. */
export const SESSION_LABEL = 'switchboard dashboard session v1';

/**
 * Cookies are shared by every port of a host, so two Switchboards on one machine (or a browser that visited an
 * older one) would overwrite each other's cookie under one fixed name. The port keeps them apart.
 */
export function cookieName(req: IncomingMessage): string {
  return `switchboard_ui_${req.socket.localPort ?? 0}`;
}

/**
 * HttpOnly: no page script can read it; SameSite=Strict: no other site's page can make the browser send it;
 * Secure when the gateway speaks HTTPS, so it never travels in the clear.
 */
export function sessionCookie(name: string, value: string, secure = false): string {
  return `${name}=${value}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison of two cookie values (equal lengths are checked first: they are fixed-size HMACs). */
export function sameValue(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
