/**
 * RELIABILITY rows S1-S3 for the store: a kill during heavy logging, pruning millions of rows under load, and a
 * locked or full database. Real SQLite files in a temp dir per test; the kill is a real SIGKILL of a child.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store, type StoreOptions, type StoreWarning, type WriterDesign } from '../src/main/core/store/index.js';
import { createLogger } from '../src/main/core/util/logger.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let dir: string;
const dbFile = () => path.join(dir, 'switchboard.db');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = createLogger('silent', () => {});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'store-reliability-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openStore(options: Partial<StoreOptions> = {}): Promise<Store> {
  return Store.open({ dataDir: dir, logger: quiet, retention: false, ...options });
}

function logLine(store: Store, i: number): void {
  store.logs.append({ time: Date.now(), level: 'info', source: 'test', server: 'files', message: `line ${i}` });
}

describe('S1: killed while logging 5,000 lines/s', () => {
  it('opens cleanly and holds every committed row, losing at most about 100 ms of lines', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/store-crash-child.ts', dir, '5000'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let t = 0; !out.includes('ready\n'); t++) {
      if (t > 200) throw new Error(`child did not start: ${out}`);
      await sleep(50);
    }
    await sleep(1500);
    child.kill('SIGKILL');
    await exited;

    const reports = out
      .split('\n')
      .slice(0, -1)
      .filter((l) => /^\d+ \d+$/.test(l)); // complete lines only
    const [handed, committed] = reports.at(-1)!.split(' ').map(Number) as [number, number];
    const db = new Database(dbFile());
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const seqs = (db.prepare('SELECT message FROM logs ORDER BY id').pluck().all() as string[]).map(Number);
    db.close();

    // The rows present are exactly lines 1..K: a prefix, nothing torn, nothing out of order.
    const k = seqs.length;
    expect(seqs).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    expect(handed).toBeGreaterThan(5000); // it really was logging hard when killed
    expect(k).toBeGreaterThanOrEqual(committed); // every row the writer confirmed survived the kill
    expect(handed - k).toBeLessThanOrEqual(600); // <= 100 ms at 5,000/s, plus the 5 ms tick and the batch in flight

    const store = await openStore();
    expect(store.health().movedAside).toBeUndefined();
    expect(store.logs.query({ limit: 1 }).rows[0]?.message).toBe(String(k));
    await store.close();
  });
});

describe('S2: pruning millions of rows while logging 5,000 lines/s', () => {
  it('keeps the event loop as responsive as logging alone does', async () => {
    await (await openStore()).close();
    const rows = 1_000_000;
    const db = new Database(dbFile());
    const old = Date.now() - 30 * 24 * 3600_000;
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${rows / 2})
      INSERT INTO logs (time, level, source, server, message) SELECT ${old} + i, 'info', 'stderr', 'files', 'old line ' || i FROM n`);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${rows / 2})
      INSERT INTO traffic (time, server, session, direction, kind, size, payload) SELECT ${old} + i, 'files', 's' || (i % 9), 'down', 'response', 40, '{"jsonrpc":"2.0","id":1,"result":{}}' FROM n`);
    db.close();

    const store = await openStore({ retention: { maxAgeMs: 7 * 24 * 3600_000 } });
    let i = 0;
    /** Event-loop delay while logging 5,000 lines/s until `phase` settles. */
    const underLoad = async <T>(phase: Promise<T>) => {
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const started = performance.now();
      const first = i;
      const load = setInterval(() => {
        const due = first + Math.floor((performance.now() - started) * 5);
        while (i < due) logLine(store, i++);
      }, 5);
      const result = await phase;
      clearInterval(load);
      delay.disable();
      return { result, p90: delay.percentile(90) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
    };
    // Compared within this run (a loaded machine slows every phase alike): logging alone before and after the
    // prune is the baseline; the prune runs off the main loop, so beyond CPU it shares it may not slow the loop.
    const before = await underLoad(sleep(1500));
    const pruning = await underLoad(store.prune());
    const after = await underLoad(sleep(1500));
    await store.flush();

    const result = pruning.result;
    expect(result).toMatchObject({ logs: rows / 2, traffic: rows / 2 });
    expect(result.error).toBeUndefined();
    const baseline = Math.max(before.p90, after.p90);
    const figures = `p90 ${pruning.p90} ms (alone ${before.p90} / ${after.p90}), p99 ${pruning.p99} ms, max ${pruning.max} ms, prune ${result.ms} ms`;
    expect(pruning.p90, figures).toBeLessThanOrEqual(5 * baseline);
    expect(store.health()).toMatchObject({ rowsLost: 0, written: i });
    expect(store.logs.query({ limit: 5000 }).rows).toHaveLength(Math.min(i, 5000));
    await store.close();
  }, 120_000); // a million rows to seed and prune take several times longer on a loaded machine
});

describe.each<WriterDesign>(['worker', 'main-thread'])('S3 with the %s writer', (writer) => {
  it('a locked database degrades logging with a warning, keeps the rows, and recovers when the lock goes', async () => {
    const store = await openStore({
      writer,
      busyTimeoutMs: 50,
      writerBusyTimeoutMs: 50,
      batch: { retryDelayMs: 50, capacity: 1000 },
    });
    const warnings: StoreWarning[] = [];
    store.warnings.on((w) => warnings.push(w));
    const locker = new Database(dbFile());
    locker.exec('BEGIN EXCLUSIVE');
    locker.prepare("INSERT INTO settings VALUES ('held', '1', 0)").run();

    expect(() => {
      for (let i = 1; i <= 1500; i++) logLine(store, i);
    }).not.toThrow();
    await store.flush(); // resolves after the failed attempt rather than waiting for the lock
    await sleep(10); // the loss warning comes on a later turn, one for the whole burst
    expect(store.health().degraded).toMatchObject({ reason: 'locked', message: expect.stringContaining('locked') });
    expect(warnings).toContainEqual(expect.objectContaining({ kind: 'degraded', reason: 'locked' }));
    expect(warnings).toContainEqual(expect.objectContaining({ kind: 'rows_lost', rowsLost: 500 }));
    expect(store.health().rowsLost).toBe(500); // 1,500 rows into a queue of 1,000: the oldest 500 went
    expect(store.logs.query().rows).toEqual([]); // reads still work while the writer is locked out
    expect(store.settings.set('x', 1)).toMatchObject({ ok: false, kind: 'storage' }); // an answer, not a throw

    locker.exec('COMMIT');
    locker.close();
    for (let t = 0; store.health().degraded && t < 100; t++) await sleep(20);
    await store.flush();
    expect(warnings.map((w) => w.kind)).toContain('recovered');
    const messages = store.logs.query({ limit: 5000 }).rows.map((r) => r.message);
    expect(messages).toHaveLength(1000);
    expect(messages.at(-1)).toBe('line 501');
    await store.close();
  });

  it('a full disk degrades logging with a warning and never throws, through close', async () => {
    const store = await openStore({ writer, hardLimitBytes: 1, batch: { retryDelayMs: 50 } });
    const warnings: StoreWarning[] = [];
    store.warnings.on((w) => warnings.push(w));
    expect(() => {
      for (let i = 1; i <= 5000; i++) logLine(store, i);
    }).not.toThrow();
    await store.flush();
    expect(store.health().degraded).toMatchObject({
      reason: 'disk_full',
      message: expect.stringContaining('Free disk space'),
    });
    expect(warnings).toContainEqual(expect.objectContaining({ kind: 'degraded', reason: 'disk_full' }));
    await expect(store.close()).resolves.toBeUndefined();
    expect(store.health().rowsLost).toBe(5000 - store.health().written);
  });
});
