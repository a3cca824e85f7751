// Stopping with dashboards connected (issue 11 item 5): the event streams end cleanly and `serve` exits 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventStream } from '../src/main/headless/web-bridge/event-stream.js';
import { stubAppHost } from './helpers/app-host.js';
import { spawnCli, stopAllClis, type CliRun } from './helpers/cli.js';

interface OpenStream {
  status: number;
  readonly text: string;
  /** Resolves with everything read once `pattern` matches. */
  until(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with everything read when the server ends the stream. */
  ended: Promise<string>;
}

function openEvents(url: string, headers: Record<string, string>): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      let text = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        for (const w of [...waiters]) w();
      });
      const ended = new Promise<string>((done) => res.on('close', () => done(text)));
      resolve({
        status: res.statusCode ?? 0,
        get text() {
          return text;
        },
        ended,
        until(pattern, ms = 15_000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no ${pattern} within ${ms} ms; read: ${text}`)), ms);
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
      });
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The banner's URL; generous, because a loaded machine starts the CLI slowly (tsx compiles it). */
async function listening(run: CliRun): Promise<string> {
  return (await run.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/, 60_000))[1]!;
}
afterEach(stopAllClis);

describe('EventStream.closeAll', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('delivers the batch still waiting, then ends every stream, and refuses new ones', async () => {
    const host = stubAppHost();
    const events = new EventStream(host, { keepaliveMs: 60_000, maxBufferedBytes: 1 << 20, withheld: [] });
    const errors: unknown[] = [];
    server = createServer((req, res) => {
      res.on('error', (e) => errors.push(e));
      events.open(req, res, {});
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const readers = [await openEvents(url, {}), await openEvents(url, {})];
    await Promise.all(readers.map((r) => r.until(/: connected\n\n/)));
    expect(events.size).toBe(2);

    // Emitted, not yet delivered (the batcher waits ~100 ms): closeAll must deliver it, not write it after end.
    host.emit('logs', [{ time: 1, level: 'info', source: 'engine', message: 'last words' }]);
    events.closeAll();
    const texts = await Promise.all(readers.map((r) => r.ended));
    for (const text of texts) expect(text).toMatch(/event: logs\ndata: .*last words.*\n\n$/);
    expect(events.size).toBe(0);
    expect(host.listenerCount).toBe(0);
    expect(errors).toEqual([]);

    const late = await openEvents(url, {});
    expect(late.status).toBe(503);
    expect(host.listenerCount).toBe(0);
  });
});

describe('switchboard serve stopped with dashboards connected', () => {
  it('exits 0 on SIGTERM while event streams carry a flood of log lines', async () => {
    // A child that floods stderr keeps a batch waiting in the event stream at almost any instant of the stop.
    const flood = 'process.stdin.resume();setInterval(()=>{for(let i=0;i<20;i++)console.error("tick "+i)},1)';
    const config = join(dir, 'flood.json');
    writeFileSync(
      config,
      JSON.stringify({ mcpServers: { flood: { command: process.execPath, args: ['-e', flood] } } }),
    );
    const cli = spawnCli(['serve', '--config', config, '--data-dir', join(dir, 'data'), '--port', '0']);
    const url = await listening(cli);
    const [, token] = await cli.waitForStdout(/\n {2}Authorization: Bearer (\S+)\n/);

    // The dashboard's way in: /ui/?token=… sets the session cookie; a script client may use the bearer header.
    const signIn = await fetch(`${url}/ui/?token=${encodeURIComponent(token!)}`, { redirect: 'manual' });
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const readers = [
      await openEvents(`${url}/api/events`, { cookie }),
      await openEvents(`${url}/api/events`, { authorization: `Bearer ${token}` }),
    ];
    expect(readers.map((r) => r.status)).toEqual([200, 200]);
    await Promise.all(readers.map((r) => r.until(/event: logs\ndata: .*tick/, 30_000)));

    const exit = await cli.stop('SIGTERM', 30_000);
    expect(cli.stderr).not.toMatch(/ERR_|Error|stopping failed/);
    expect(exit).toEqual({ code: 0, signal: null });
    await Promise.all(readers.map((r) => r.ended));
  }, 90_000);
});
