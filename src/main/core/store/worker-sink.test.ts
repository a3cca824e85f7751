import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../util/logger.js';
import { Migrator } from './migrator.js';
import { migrations } from './migrations/index.js';
import type { LogRow } from './rows.js';
import { Store } from './store.js';
import { WorkerSink } from './worker-sink.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'worker-sink-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const row = (n: number): LogRow => ({
  table: 'logs',
  time: n,
  level: 'info',
  source: 't',
  server: null,
  message: String(n),
  fields: null,
});

it('answers writes in flight with writer_down when the thread dies, and starts a new thread for the next write', async () => {
  const file = path.join(dir, 'switchboard.db');
  const db = new Database(file);
  new Migrator(
    db,
    migrations,
    createLogger('silent', () => {}),
  ).run();
  const sink = await WorkerSink.start({ file, connection: { busyTimeoutMs: 100 } });
  expect(await sink.write([row(1)])).toEqual({ ok: true });

  const worker = (sink as unknown as { worker: Worker }).worker;
  const inFlight = sink.write([row(2)]);
  await worker.terminate();
  expect(await inFlight).toMatchObject({ ok: false, kind: 'writer_down', transient: true });

  expect(await sink.write([row(3)])).toEqual({ ok: true });
  await sink.close();
  const messages = db.prepare('SELECT message FROM logs ORDER BY id').pluck().all();
  expect(messages).toContain('1');
  expect(messages).toContain('3');
  db.close();
});

it('falls back to writing on the main thread when the writer thread cannot start', async () => {
  const logged: string[] = [];
  const store = await Store.open({
    dataDir: dir,
    logger: createLogger('debug', (r) => logged.push(r.message)),
    workerUrl: new URL('file:///nonexistent/writer-worker.js'),
    retention: false,
  });
  expect(store.health().design).toBe('main-thread');
  expect(logged.some((m) => /writer thread did not start.*main thread instead/.test(m))).toBe(true);
  store.logs.append({ time: 1, level: 'info', source: 't', message: 'still stored' });
  await store.flush();
  expect(store.logs.query().rows.map((r) => r.message)).toEqual(['still stored']);
  await store.close();
});
