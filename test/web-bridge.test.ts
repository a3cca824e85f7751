// The web bridge on a real gateway and a real socket: the cookie sign-in, who gets 401 and 403, the terminal
// switch, the event stream, and static files that cannot be walked out of.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpGateway, type GatewayBackend } from '../src/main/core/gateway/http-gateway.js';
import { createLogger } from '../src/main/core/util/logger.js';
import {
  attachWebBridge,
  builtRendererDir,
  dashboardUrl,
  type WebBridge,
} from '../src/main/headless/web-bridge/index.js';
import type { AppInfo } from '../src/shared/app-api.js';
import { stubAppHost, type StubAppHost } from './helpers/app-host.js';
import { raw, type RawResponse } from './helpers/http.js';

const TOKEN = 'bridge-token-0123456789';
const INSPECTOR = 'http://inspector.example:6274';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'";

const backend: GatewayBackend = {
  endpoints: () => undefined,
  soleServer: () => undefined,
  health: () => ({ status: 'healthy' }),
  ready: () => true,
  info: () => ({}),
};

interface Served {
  gateway: HttpGateway;
  bridge: WebBridge;
  host: StubAppHost;
  url: string;
}

let dir: string;
let rendererDir: string;
const served: Served[] = [];

async function serve(options: { token?: string | null; enableTerminal?: boolean } = {}): Promise<Served> {
  const gateway = new HttpGateway(
    {
      port: 0,
      bindHost: '127.0.0.1',
      token: options.token === undefined ? TOKEN : options.token,
      allowedOrigins: [INSPECTOR],
      allowedHosts: [],
      maxConcurrentRequests: 100,
    },
    backend,
    createLogger('silent', () => {}),
  );
  const host = stubAppHost({
    listServers: async () => [],
    getAppInfo: async () =>
      ({ version: '0', host: 'electron', platform: 'linux', terminalEnabled: false, dataDir: '/d' }) as AppInfo,
    terminalOpen: async () => ({ id: 't1' }),
  });
  const bridge = attachWebBridge(gateway, host, {
    rendererDir,
    enableTerminal: options.enableTerminal ?? false,
    keepaliveMs: 50,
  });
  const url = await gateway.listen();
  const s = { gateway, bridge, host, url };
  served.push(s);
  return s;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-bridge-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${CSP}" />` +
      `<script type="module" src="./assets/index-abc.js"></script></head><body><div id="root"></div></body></html>`,
  );
  writeFileSync(join(rendererDir, 'assets/index-abc.js'), 'console.log("dashboard");');
  writeFileSync(join(rendererDir, 'assets/style.css'), 'body{}');
  writeFileSync(join(rendererDir, '.env'), 'HIDDEN=1');
  writeFileSync(join(dir, 'package.json'), '{"name":"OUTSIDE-THE-ROOT"}');
  symlinkSync(join(dir, 'package.json'), join(rendererDir, 'assets/link.json'));
});

afterAll(async () => {
  for (const s of served) {
    s.bridge.close();
    await s.gateway.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

function cookieFrom(res: RawResponse): string {
  const header = res.headers['set-cookie'];
  expect(header).toBeDefined();
  return header![0]!.split(';')[0]!;
}

async function signIn(url: string): Promise<string> {
  const res = await raw(`${url}/ui/?token=${TOKEN}`);
  expect(res.status).toBe(302);
  return cookieFrom(res);
}

function invoke(url: string, method: string, args: unknown, headers: Record<string, string> = {}) {
  return raw(`${url}/api/invoke/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(args),
  });
}

describe('web bridge access', () => {
  it('without a cookie or token: 401 for /ui (a page that says what to do) and for /api', async () => {
    const { url } = await serve();
    const page = await raw(`${url}/ui/`);
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('switchboard serve');
    expect(page.body).not.toContain(TOKEN);
    const api = await invoke(url, 'listServers', []);
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, kind: 'forbidden' });
    expect((await raw(`${url}/api/events`)).status).toBe(401);
  });

  it('/ui/?token= signs in once: 302 to /ui/ with an HttpOnly SameSite=Strict cookie that is not the token', async () => {
    const { url } = await serve();
    const res = await raw(`${url}/ui/?token=${encodeURIComponent(TOKEN)}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/ui/');
    const setCookie = res.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = cookieFrom(res);

    const page = await raw(`${url}/ui/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain(CSP);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('<div id="root">');

    const api = await invoke(url, 'listServers', [], { cookie, origin: url });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body)).toEqual({ ok: true, value: [] });
  });

  it('a wrong token gets 401 and no cookie; a made-up cookie gets 401', async () => {
    const { url } = await serve();
    const res = await raw(`${url}/ui/?token=wrong-token`);
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    const port = new URL(url).port;
    const forged = `switchboard_ui_${port}=${Buffer.from(TOKEN).toString('base64url')}`;
    expect((await raw(`${url}/ui/`, { headers: { cookie: forged } })).status).toBe(401);
    expect((await invoke(url, 'listServers', [], { cookie: `switchboard_ui_${port}=${TOKEN}` })).status).toBe(401);
  });

  it('a cookie from one Switchboard does not open another with a different token', async () => {
    const a = await serve();
    const b = await serve({ token: 'another-token-abcdef' });
    const cookieA = await signIn(a.url);
    const portB = new URL(b.url).port;
    const asIfB = cookieA.replace(/^switchboard_ui_\d+/, `switchboard_ui_${portB}`);
    expect((await raw(`${b.url}/ui/`, { headers: { cookie: asIfB } })).status).toBe(401);
  });

  it('the bearer header works for /ui and /api', async () => {
    const { url } = await serve();
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect((await raw(`${url}/ui/`, { headers: bearer })).status).toBe(200);
    expect((await invoke(url, 'listServers', [], bearer)).status).toBe(200);
    expect((await invoke(url, 'listServers', [], { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('a foreign Origin gets 403 even with a valid cookie; so does an allowed MCP origin riding on the cookie', async () => {
    const { url } = await serve();
    const cookie = await signIn(url);
    const evil = await invoke(url, 'listServers', [], { cookie, origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    const otherPort = await invoke(url, 'listServers', [], { cookie, origin: 'http://127.0.0.1:1' });
    expect(otherPort.status).toBe(403);
    // Allowed by --allow-origin for MCP traffic, but the dashboard API does not answer other pages on a cookie.
    const inspector = await invoke(url, 'listServers', [], { cookie, origin: INSPECTOR });
    expect(inspector.status).toBe(403);
    const crossSite = await invoke(url, 'listServers', [], { cookie, 'sec-fetch-site': 'same-site' });
    expect(crossSite.status).toBe(403);
    const badHost = await raw(`${url}/ui/`, { headers: { cookie, host: 'evil.example' } });
    expect(badHost.status).toBe(403);
  });

  it('with --no-auth, /ui and /api are open to the own origin only', async () => {
    const { url } = await serve({ token: null });
    expect((await raw(`${url}/ui/`)).status).toBe(200);
    expect((await invoke(url, 'listServers', [], { origin: url })).status).toBe(200);
    expect((await invoke(url, 'listServers', [], { origin: INSPECTOR })).status).toBe(403);
    const signIn = await raw(`${url}/ui?token=anything`);
    expect(signIn.status).toBe(302);
    expect(signIn.headers['set-cookie']).toBeUndefined();
  });

  it('a new token (regenerateToken) signs every browser out', async () => {
    const { url, gateway } = await serve();
    const cookie = await signIn(url);
    expect((await raw(`${url}/ui/`, { headers: { cookie } })).status).toBe(200);
    gateway.access.setToken('rotated-token-abcdef');
    expect((await raw(`${url}/ui/`, { headers: { cookie } })).status).toBe(401);
    expect((await raw(`${url}/ui/?token=rotated-token-abcdef`)).status).toBe(302);
  });

  it('the gateway itself is unchanged: its routes still want the bearer header, not the cookie', async () => {
    const { url } = await serve();
    const cookie = await signIn(url);
    expect((await raw(`${url}/info`, { headers: { cookie } })).status).toBe(401);
    expect((await raw(`${url}/health`)).status).toBe(200);
  });
});

describe('web bridge API', () => {
  it('checks the method, the content type and the body; reports the web host in getAppInfo', async () => {
    const { url } = await serve();
    const cookie = await signIn(url);
    const h = { cookie };
    expect((await invoke(url, 'constructor', [], h)).status).toBe(404);
    expect(JSON.parse((await invoke(url, 'noSuchMethod', [], h)).body)).toMatchObject({ kind: 'not_found' });
    expect((await invoke(url, 'listServers', { a: 1 }, h)).status).toBe(400);
    const notJson = await raw(`${url}/api/invoke/listServers`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain' },
      body: '[]',
    });
    expect(notJson.status).toBe(415);
    const broken = await raw(`${url}/api/invoke/listServers`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '[',
    });
    expect(broken.status).toBe(400);
    expect((await raw(`${url}/api/invoke/listServers`, { headers: h })).status).toBe(405);
    // A method this host lacks answers 200 with the API's own error.
    expect(JSON.parse((await invoke(url, 'listTools', ['x'], h)).body)).toMatchObject({ ok: false, kind: 'not_found' });
    const info = JSON.parse((await invoke(url, 'getAppInfo', [], h)).body);
    expect(info.value).toMatchObject({ host: 'web', terminalEnabled: false });
  });

  it('refuses the terminal methods unless started with --enable-terminal', async () => {
    const off = await serve();
    const cookie = await signIn(off.url);
    const refused = await invoke(off.url, 'terminalOpen', ['fx', 80, 24], { cookie });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(JSON.parse(refused.body).message).toContain('--enable-terminal');
    expect(off.host.calls.some((c) => c.method === 'terminalOpen')).toBe(false);

    const on = await serve({ enableTerminal: true });
    const onCookie = await signIn(on.url);
    const allowed = await invoke(on.url, 'terminalOpen', ['fx', 80, 24], { cookie: onCookie });
    expect(JSON.parse(allowed.body)).toEqual({ ok: true, value: { id: 't1' } });
  });

  it('/api/events streams coalesced events as SSE and unsubscribes when the reader leaves', async () => {
    const { url, host, bridge } = await serve();
    const cookie = await signIn(url);
    const stream = await openStream(`${url}/api/events`, { cookie });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    expect(host.listenerCount).toBe(1);
    host.emit('serverState', { server: 'fx', state: 'starting', reason: '', since: 1, pid: null });
    host.emit('serverState', { server: 'fx', state: 'running', reason: 'up', since: 2, pid: 42 });
    host.emit('terminalData', { id: 't', data: 'withheld without --enable-terminal' });
    host.emit('logs', [{ time: 1, level: 'info', source: 'engine', message: 'line\nwith newline' }]);
    const text = await stream.until(/event: logs\ndata: .*\n\n/);
    expect(text).toContain(
      'event: serverState\ndata: {"server":"fx","state":"running","reason":"up","since":2,"pid":42}\n\n',
    );
    expect(text).not.toContain('"state":"starting"');
    expect(text).not.toContain('terminalData');
    // Opening the stream tells the page to read the servers again: a change just before it opened is not lost.
    expect(text.indexOf('event: serversChanged\n')).toBeLessThan(text.indexOf('event: serverState\n'));
    await stream.until(/: keepalive\n\n/);
    expect(bridge.streams).toBe(1);
    stream.close();
    await until(() => host.listenerCount === 0);
    expect(bridge.streams).toBe(0);
  });
});

describe('web bridge static files', () => {
  it('serves assets with their content type and long caching, and /ui redirects to /ui/', async () => {
    const { url } = await serve();
    const cookie = await signIn(url);
    const js = await raw(`${url}/ui/assets/index-abc.js`, { headers: { cookie } });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const css = await raw(`${url}/ui/assets/style.css`, { headers: { cookie } });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const again = await raw(`${url}/ui/assets/index-abc.js`, {
      headers: { cookie, 'if-none-match': String(js.headers.etag) },
    });
    expect(again.status).toBe(304);
    const bare = await raw(`${url}/ui`, { headers: { cookie } });
    expect(bare.status).toBe(302);
    expect(bare.headers.location).toBe('/ui/');
    expect((await raw(`${url}/ui/assets/missing.js`, { headers: { cookie } })).status).toBe(404);
    expect((await raw(`${url}/ui/assets/`, { headers: { cookie } })).status).toBe(404);
  });

  it.each([
    '/ui/../package.json',
    '/ui/%2e%2e/package.json',
    '/ui/%2E%2E/package.json',
    '/ui/..%2fpackage.json',
    '/ui/..%2Fpackage.json',
    '/ui/%2e%2e%2fpackage.json',
    '/ui/assets/..%2f..%2fpackage.json',
    '/ui/..%5cpackage.json',
    '/ui/assets/%2e%2e/%2e%2e/package.json',
    '/ui/%252e%252e/package.json',
    '/ui/.env',
    '/ui/assets/link.json',
    '/ui/assets/index-abc.js%00.html',
    '/ui/%',
  ])('refuses %s', async (path) => {
    const { url } = await serve();
    const cookie = await signIn(url);
    const res = await raw(`${url}${path}`, { headers: { cookie } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).not.toContain('OUTSIDE-THE-ROOT');
    expect(res.body).not.toContain('HIDDEN');
  });
});

describe('dashboardUrl', () => {
  it('prints a loopback address for a wildcard bind, with the token when auth is on', () => {
    expect(dashboardUrl('http://0.0.0.0:8808', 'a b')).toBe('http://127.0.0.1:8808/ui/?token=a%20b');
    expect(dashboardUrl('http://127.0.0.1:8808', null)).toBe('http://127.0.0.1:8808/ui/');
    expect(dashboardUrl('http://[::]:1', null)).toBe('http://[::1]:1/ui/');
    expect(builtRendererDir).toMatch(/[\\/]out[\\/]renderer$/);
  });
});

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function openStream(url: string, headers: Record<string, string>) {
  return new Promise<{
    status: number;
    contentType: string;
    until(pattern: RegExp, ms?: number): Promise<string>;
    close(): void;
  }>((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        for (const w of [...waiters]) w();
      });
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type']),
        until(pattern, ms = 3000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no ${pattern} in ${JSON.stringify(text)}`)), ms);
            const check = () => {
              if (!pattern.test(text)) return;
              clearTimeout(timer);
              waiters.delete(check);
              ok(text);
            };
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}
