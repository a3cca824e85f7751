// TLS and binds beyond loopback (issue 7), through the real CLI: --tls-cert/--tls-key serve HTTPS with a
// self-signed certificate made here with openssl; a --host beyond loopback needs a token and TLS unless --insecure,
// which is then said at start.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer } from './helpers/engine.js';
import { spawnCli, stopAllClis } from './helpers/cli.js';

const TOKEN = 'tls-test-token';
let dir: string;
let cert: string;
let key: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-'));
  cert = join(dir, 'cert.pem');
  key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(stopAllClis);

/** One HTTPS request trusting only the test's certificate. */
function https(
  url: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: readFileSync(cert) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const fixtureCommand = ['--', process.execPath, fixtureServer];

describe('TLS', () => {
  it('run --tls-cert/--tls-key serves HTTPS: health, initialize and a tool call, with a self-signed cert', async () => {
    const cli = spawnCli([
      'run',
      '--port',
      '0',
      '--token',
      TOKEN,
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      ...fixtureCommand,
    ]);
    const [, url] = await cli.waitForStdout(/listening on (https:\/\/127\.0\.0\.1:\d+)\n/);
    expect((await https(`${url}/health`)).status).toBe(200);
    const mcp = `${url}/mcp`;
    const headers = {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const init = await https(mcp, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    expect(init.status, init.body).toBe(200);
    const session = init.headers['mcp-session-id'] as string;
    const call = await https(mcp, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': session },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: 'over tls' } },
      }),
    });
    expect(JSON.parse(call.body).result.content[0].text).toBe('fixture: over tls');
    // Plain HTTP on the same port gets no answer from the gateway.
    await expect(fetch(`${url.replace('https', 'http')}/health`)).rejects.toThrow();
  });

  it('serve --tls-cert/--tls-key serves HTTPS too', async () => {
    const data = mkdtempSync(join(dir, 'data-'));
    const cli = spawnCli(['serve', '--data-dir', data, '--port', '0', '--tls-cert', cert, '--tls-key', key]);
    const [, url] = await cli.waitForStdout(/listening on (https:\/\/127\.0\.0\.1:\d+)\n/);
    expect((await https(`${url}/health`)).status).toBe(200);
  });
});

describe('binds beyond loopback', () => {
  it.for<[string, string[], RegExp]>([
    ['without a token or TLS', ['--host', '0.0.0.0', '--no-auth'], /needs a bearer token \(drop --no-auth\) and TLS/],
    ['with a token but no TLS', ['--host', '0.0.0.0', '--token', TOKEN], /0\.0\.0\.0 .*needs TLS \(--tls-cert/],
    ['with --tls-cert alone', ['--tls-cert', 'cert.pem'], /--tls-cert and --tls-key go together/],
  ])('are refused %s: exit 2 with a message', async ([, flags, message]) => {
    const cli = spawnCli(['run', ...flags, '--port', '0', ...fixtureCommand]);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr).toMatch(message);
    expect(cli.stderr).toMatch(/--insecure|go together/);
    expect(cli.stdout).toBe('');
  });

  it('names a certificate file it cannot read', async () => {
    const missing = join(dir, 'missing.pem');
    const cli = spawnCli(['run', '--tls-cert', missing, '--tls-key', key, '--port', '0', ...fixtureCommand]);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr).toContain(`--tls-cert ${missing}`);
  });

  it('start with --insecure and say so; with a token and TLS, start without a warning', async () => {
    const insecure = spawnCli([
      'run',
      '--host',
      '0.0.0.0',
      '--token',
      TOKEN,
      '--insecure',
      '--port',
      '0',
      ...fixtureCommand,
    ]);
    await insecure.waitForStdout(/listening on http:\/\/0\.0\.0\.0:\d+/);
    await insecure.waitForStdout(/WARNING \(--insecure\): 0\.0\.0\.0 is reachable beyond this machine with no TLS\./);
    const safe = spawnCli([
      'run',
      '--host',
      '0.0.0.0',
      '--token',
      TOKEN,
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--port',
      '0',
      ...fixtureCommand,
    ]);
    await safe.waitForStdout(/listening on https:\/\/0\.0\.0\.0:\d+/);
    await safe.waitForStdout(/Clients must send/);
    expect(safe.stdout).not.toContain('WARNING');
    await Promise.all([insecure.stop(), safe.stop()]);
  });
});
