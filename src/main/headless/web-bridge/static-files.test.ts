import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedCodings, StaticFiles } from './static-files.js';

// A real build directory (assets with .br/.gz copies beside them, as the renderer build writes) behind a real
// node:http server; requests go over a socket with hand-set Accept-Encoding (fetch would negotiate its own).
const script = 'console.log("the dashboard");\n'.repeat(200);
const html = '<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'self\'"><p>hi</p>';
let dir: string;
let outside: string;
let server: Server;
let port: number;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'static-files-'));
  outside = await mkdtemp(join(tmpdir(), 'static-outside-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), html);
  await writeFile(join(dir, 'index.html.gz'), gzipSync(html));
  await writeFile(join(dir, 'assets', 'index-abc123.js'), script);
  await writeFile(join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync(script));
  await writeFile(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(script));
  await writeFile(join(dir, 'assets', 'small-def456.css'), 'a{}');
  // A compressed "copy" that is a symlink out of the root must never be served.
  await writeFile(join(outside, 'secret.txt.gz'), gzipSync('secret'));
  await writeFile(join(dir, 'assets', 'leak.txt'), 'public');
  await symlink(join(outside, 'secret.txt.gz'), join(dir, 'assets', 'leak.txt.gz'));
  const files = new StaticFiles(dir);
  server = createServer((req, res) => void files.serve(req, res, req.url!.slice(1)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('Accept-Encoding parsing', () => {
  it('prefers br over gzip whatever the order or q-values, and honours q=0 and *', () => {
    expect(acceptedCodings('gzip, deflate, br')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('gzip;q=1.0, br;q=0.1')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('br;q=0, gzip')).toEqual(['gzip']);
    expect(acceptedCodings('*')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('*;q=0, gzip')).toEqual(['gzip']);
    expect(acceptedCodings('identity')).toEqual([]);
    expect(acceptedCodings(undefined)).toEqual([]);
    expect(acceptedCodings('x-gzip')).toEqual(['gzip']);
    expect(acceptedCodings('BR;Q=0.5')).toEqual(['br']);
  });
});

describe('StaticFiles content negotiation over HTTP', () => {
  it('sends the brotli copy to a browser that takes br, with the headers a cache needs', async () => {
    const reply = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('br');
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(reply.body.length).toBeLessThan(Buffer.byteLength(script));
    expect(brotliDecompressSync(reply.body).toString()).toBe(script);
  });

  it('sends gzip when br is not accepted, and the file itself when neither is', async () => {
    const gz = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);

    const plain = await get('/assets/index-abc123.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.toString()).toBe(script);

    const refused = await get('/assets/index-abc123.js', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(script);
  });

  it('gives each encoding its own ETag, so a 304 never confirms the wrong bytes', async () => {
    const br = await get('/assets/index-abc123.js', { 'accept-encoding': 'br' });
    const gz = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
    const plain = await get('/assets/index-abc123.js');
    const etags = new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]);
    expect(etags.size).toBe(3);

    const same = await get('/assets/index-abc123.js', {
      'accept-encoding': 'br',
      'if-none-match': String(br.headers.etag),
    });
    expect(same.status).toBe(304);
    expect(same.headers['content-encoding']).toBe('br');
    const other = await get('/assets/index-abc123.js', {
      'accept-encoding': 'gzip',
      'if-none-match': String(br.headers.etag),
    });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
  });

  it('serves index.html no-cache, compressed when a copy exists, with the CSP of the identity page', async () => {
    const reply = await get('/', { 'accept-encoding': 'br, gzip' });
    expect(reply.status).toBe(200);
    // Only a .gz copy exists for the page: br is skipped rather than failing.
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(gunzipSync(reply.body).toString()).toBe(html);
  });

  it('answers HEAD with the negotiated length and no body', async () => {
    const reply = await get('/assets/index-abc123.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('br');
    expect(Number(reply.headers['content-length'])).toBe(brotliCompressSync(script).length);
    expect(reply.body.length).toBe(0);
  });

  it('serves a file with no copies as itself, and never follows a copy that links outside the root', async () => {
    const css = await get('/assets/small-def456.css', { 'accept-encoding': 'br, gzip' });
    expect(css.headers['content-encoding']).toBeUndefined();
    expect(css.body.toString()).toBe('a{}');

    const leak = await get('/assets/leak.txt', { 'accept-encoding': 'gzip' });
    expect(leak.status).toBe(200);
    expect(leak.headers['content-encoding']).toBeUndefined();
    expect(leak.body.toString()).toBe('public');
  });

  it('still refuses paths that step outside', async () => {
    expect((await get('/assets/..%2Findex.html')).status).toBe(404);
    expect((await get('/assets/index-abc123.js.br/..', { 'accept-encoding': 'br' })).status).toBe(404);
  });
});
