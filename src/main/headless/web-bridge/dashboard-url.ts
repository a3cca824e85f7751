/**
 * The address to print for the dashboard. A wildcard bind (0.0.0.0, ::) is not an address a browser should use,
 * and the gateway only accepts its own pages from a loopback Host, so the loopback name stands in for it.
 */
export function dashboardUrl(baseUrl: string, token: string | null): string {
  const url = new URL(baseUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  const base = `${url.protocol}//${url.host}/ui/`;
  return token === null ? base : `${base}?token=${encodeURIComponent(token)}`;
}
