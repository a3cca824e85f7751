import type { ServerResponse } from 'node:http';

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/** A small page for a browser that arrives without a valid session: what to do, in words. */
export function sendSignInPage(res: ServerResponse, reason: 'missing' | 'wrong', headers: Record<string, string>) {
  const lead =
    reason === 'wrong'
      ? 'That token is not the one this Switchboard uses (it changes on every run unless you set one).'
      : 'This browser has not been signed in to this Switchboard yet.';
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MCP Switchboard: sign-in needed</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1.5rem;line-height:1.5}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}</style></head>
<body><h1>MCP Switchboard</h1>
<p>${lead}</p>
<p>Open the dashboard with the address that <code>switchboard serve</code> printed when it started, the line
<code>Dashboard: http://127.0.0.1:PORT/ui/?token=…</code>. Paste it into the address bar: the link signs this
browser in with a cookie and then drops the token from the address.</p>
<p>Scripts and other tools can send <code>Authorization: Bearer &lt;token&gt;</code> instead.</p>
</body></html>
`;
  res.writeHead(401, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'www-authenticate': 'Bearer realm="switchboard"',
  });
  res.end(body);
}

/** A plain-text answer for the static routes (404, 405, 400). */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
