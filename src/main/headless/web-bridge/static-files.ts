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

type ContentCoding = 'br' | 'gzip';
interface FileInfo {
  path: string;
  size: number;
  mtimeMs: number;
}
const CODING_SUFFIX: Record<ContentCoding, string> = { br: '.br', gzip: '.gz' };

/**
 * The codings an Accept-Encoding header allows, best first: br, then gzip (identity is always the fallback).
 * A coding is allowed when listed, or covered by `*`, with a q-value above 0 (RFC 9110 §12.5.3).
 */
export function acceptedCodings(header: string | string[] | undefined): ContentCoding[] {
  const q = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(token, Number.isFinite(value) ? value : 0);
  }
  const allowed = (coding: string) =>
    (q.get(coding) ?? (coding === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(allowed);
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
    const isHtml = extname(file.path) === '.html';
    // A precompressed copy beside the file (written at build time), when the browser takes one.
    const encoding = await this.variant(file.path, req.headers['accept-encoding']);
    const sent = encoding ? encoding.file : file;
    const etag = `W/"${sent.size.toString(16)}-${Math.floor(sent.mtimeMs).toString(16)}${encoding ? `-${encoding.name}` : ''}"`;
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      // Hashed bundles never change under one name; everything else is revalidated. `private`: behind auth.
      'cache-control': segments[0] === 'assets' ? 'private, max-age=31536000, immutable' : 'no-cache',
      // Every answer here may differ by Accept-Encoding, so caches must key on it even for identity.
      vary: 'Accept-Encoding',
      etag,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (encoding) headers['content-encoding'] = encoding.name;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    if (isHtml) {
      // The CSP comes from the page's own meta tag, so read the identity file even when a compressed one is sent.
      headers['content-security-policy'] = cspFor(await readFile(file.path, 'utf8'));
      headers['x-frame-options'] = 'DENY';
    }
    const body = await readFile(sent.path);
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** The best precompressed copy of `path` the request accepts (br, then gzip), or null for the file itself. */
  private async variant(
    path: string,
    acceptEncoding: string | string[] | undefined,
  ): Promise<{ name: ContentCoding; file: FileInfo } | null> {
    for (const name of acceptedCodings(acceptEncoding)) {
      try {
        // The same containment rule as the file itself: a symlinked copy must not lead outside the root.
        const copy = await realpath(path + CODING_SUFFIX[name]);
        if (!copy.startsWith((await this.realRoot) + sep)) continue;
        const info = await stat(copy);
        if (info.isFile()) return { name, file: { path: copy, size: info.size, mtimeMs: info.mtimeMs } };
      } catch {
        // No such copy (small files are not compressed): try the next coding.
      }
    }
    return null;
  }

  private async resolve(segments: string[]): Promise<FileInfo | null> {
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
