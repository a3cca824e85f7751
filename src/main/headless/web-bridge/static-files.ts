import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { sendText } from './pages.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The renderer's own CSP, used when its index.html carries none. */
export const DEFAULT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'";

/** Directives only a header can carry (or that the meta tag may omit); added unless the page sets them. */
const HEADER_ONLY = ["frame-ancestors 'none'", "base-uri 'self'", "object-src 'none'", "form-action 'self'"];

/**
 * The CSP header for the dashboard: the one in the built index.html's meta tag, so the two can never disagree,
 * plus the directives a meta tag cannot express (frame-ancestors).
 */
export function cspFor(indexHtml: string): string {
  const tag = /<meta\b[^>]*http-equiv=(["'])Content-Security-Policy\1[^>]*>/i.exec(indexHtml)?.[0];
  const content = tag ? /\bcontent=(["'])([\s\S]*?)\1/i.exec(tag)?.[2] : undefined;
  const base = (content ?? DEFAULT_CSP).replace(/\s+/g, ' ').trim().replace(/;\s*$/, '');
  const present = new Set(base.split(';').map((d) => d.trim().split(' ')[0]!.toLowerCase()));
  const extra = HEADER_ONLY.filter((d) => !present.has(d.split(' ')[0]!));
  return [base, ...extra].join('; ');
}

/**
 * The built dashboard (out/renderer) under `/ui/`. Paths are decoded segment by segment and any segment that
 * could step outside (`..`, `.`, an encoded slash or backslash, a NUL, a dotfile) is refused; the real path of
 * what is found must still lie inside the root, so a symlink cannot lead out either.
 */
export class StaticFiles {
  private realRoot: Promise<string> | null = null;

  constructor(private readonly root: string) {}

  /** `subpath`: the raw (still percent-encoded) path after `/ui/`; '' is the index page. */
  async serve(req: IncomingMessage, res: ServerResponse, subpath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    }
    const segments = subpath === '' ? ['index.html'] : safeSegments(subpath);
    if (!segments) return sendText(res, 404, 'Not Found');
    const file = await this.resolve(segments);
    if (!file) {
      const hint = segments[0] === 'index.html' ? ' (the dashboard is not built: run `npx electron-vite build`)' : '';
      return sendText(res, 404, `Not Found${hint}`);
    }
    const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
    const isHtml = extname(file.path) === '.html';
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      // Hashed bundles never change under one name; everything else is revalidated. `private`: behind auth.
      'cache-control': segments[0] === 'assets' ? 'private, max-age=31536000, immutable' : 'no-cache',
      etag,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    const body = await readFile(file.path);
    if (isHtml) {
      headers['content-security-policy'] = cspFor(body.toString('utf8'));
      headers['x-frame-options'] = 'DENY';
    }
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private async resolve(segments: string[]): Promise<{ path: string; size: number; mtimeMs: number } | null> {
    let root: string;
    try {
      this.realRoot ??= realpath(this.root);
      root = await this.realRoot;
    } catch {
      // Not built yet: worth looking again on the next request.
      this.realRoot = null;
      return null;
    }
    try {
      const path = await realpath(join(root, ...segments));
      if (!path.startsWith(root + sep)) return null;
      const info = await stat(path);
      return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
    } catch {
      return null;
    }
  }
}

function safeSegments(subpath: string): string[] | null {
  const out: string[] = [];
  for (const raw of subpath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment.startsWith('.') || /[/\\\0:]/.test(segment)) return null;
    out.push(segment);
  }
  return out;
}
