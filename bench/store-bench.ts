/**
 * Store benchmark: the two batched-writer designs (writer on the main thread vs on a worker thread), each
 * measured for committed rows/s and the main thread's event-loop delay (p99, via perf_hooks) while rows are handed
 * over at fixed rates, then while retention prunes millions of rows under 5,000 rows/s of ingest (RELIABILITY S2).
 * Prints Markdown tables; docs/store.md records a run.
 *
 *   node --import tsx bench/store-bench.ts                 full run (about 2 minutes)
 *   node --import tsx bench/store-bench.ts --quick         short run, 300k rows to prune
 *   --max-batch N (rows per transaction when behind)  --seconds N  --rates 5000,20000,50000,200000  --designs worker,main-thread  --prune-rows N
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Store, type WriterDesign } from '../src/main/core/store/index.js';
import type { FrameEvent } from '../src/main/core/telemetry/frame.js';
import { createLogger } from '../src/main/core/util/logger.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rates: { type: 'string' },
    designs: { type: 'string' },
    'prune-rows': { type: 'string' },
    'max-batch': { type: 'string' },
  },
});
const seconds = Number(flags.seconds ?? (flags.quick ? 2 : 5));
const rates = (flags.rates ?? '5000,20000,50000,200000').split(',').map(Number);
const designs = (flags.designs ?? 'main-thread,worker').split(',') as WriterDesign[];
const batch = flags['max-batch'] ? { maxBatchRows: Number(flags['max-batch']) } : undefined;
const pruneRows = Number(flags['prune-rows'] ?? (flags.quick ? 300_000 : 3_000_000));
const log = (line: string) => process.stderr.write(`${line}\n`);
const logger = createLogger('warn', (r) => log(`  [${r.level}] ${r.message}`));

// A tools/call request and a result of realistic size (~450 characters), alternating with log lines.
const payload = JSON.stringify({
  jsonrpc: '2.0',
  id: 42,
  method: 'tools/call',
  params: { name: 'read_file', arguments: { path: '/home/user/projects/app/src/index.ts' }, _meta: {} },
  result: { content: [{ type: 'text', text: 'x'.repeat(300) }] },
});
function frame(i: number): FrameEvent {
  return {
    direction: i % 4 === 1 ? 'up' : 'down',
    server: `server-${i % 5}`,
    session: `session-${i % 17}`,
    clientName: 'bench',
    kind: i % 4 === 1 ? 'request' : 'response',
    method: 'tools/call',
    clientId: i,
    isError: i % 97 === 0,
    latencyMs: 3.2,
    size: payload.length,
    time: Date.now(),
    payload,
  };
}
function handOver(store: Store, i: number): void {
  if (i % 2 === 0) store.traffic.append(frame(i));
  else
    store.logs.append({
      time: Date.now(),
      level: 'info',
      source: 'stderr',
      server: `server-${i % 5}`,
      message: `line ${i} of a server's stderr output, as servers print them`,
    });
}

/** Hands rows over at `rate` per second for `ms` (a catch-up schedule on a 5 ms timer, as bursty as real traffic). */
async function produce(store: Store | null, rate: number, ms: number): Promise<number> {
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.floor((Math.min(elapsed, ms) * rate) / 1000);
      for (; sent < due; sent++) if (store) handOver(store, sent);
      if (elapsed >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  return sent;
}

interface Measured {
  p99: number;
  max: number;
}
async function withLoopDelay<T>(fn: () => Promise<T>): Promise<T & Measured> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const result = await fn();
  h.disable();
  return { ...result, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
}

function freshDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'store-bench-'));
}

interface IngestRow extends Measured {
  design: string;
  rate: number;
  committedPerSec: number;
  lost: number;
  drainMs: number;
}
async function ingest(design: WriterDesign, rate: number): Promise<IngestRow> {
  const dir = freshDir();
  const store = await Store.open({ dataDir: dir, logger, writer: design, retention: false, batch });
  try {
    await produce(store, Math.min(rate, 5000), 500); // warm-up: statements prepared, WAL created
    await store.flush();
    const before = store.health().written;
    const start = performance.now();
    const r = await withLoopDelay(async () => ({ sent: await produce(store, rate, seconds * 1000) }));
    const producedAt = performance.now();
    await store.flush();
    const end = performance.now();
    const h = store.health();
    return {
      design,
      rate,
      committedPerSec: ((h.written - before) / (end - start)) * 1000,
      lost: h.rowsLost,
      drainMs: end - producedAt,
      p99: r.p99,
      max: r.max,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Old rows straight into the file (one statement per table), as if left by a week of heavy use. */
function fillOldRows(file: string, rows: number): void {
  const db = new Database(file);
  const old = Date.now() - 30 * 24 * 3600_000;
  const logs = Math.ceil(rows / 2);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${logs})
    INSERT INTO logs (time, level, source, server, message) SELECT ${old} + i, 'info', 'stderr', 'server-' || (i % 5),
    'an old line of stderr output number ' || i FROM n`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${rows - logs})
    INSERT INTO traffic (time, server, session, direction, kind, method, client_id, size, payload)
    SELECT ${old} + i, 'server-' || (i % 5), 'session-' || (i % 17), 'down', 'response', 'tools/call', i, 200,
    substr('${payload}', 1, 200) FROM n`);
  db.close();
}

interface PruneRow extends Measured {
  design: string;
  deleted: number;
  pruneMs: number;
}
async function pruneUnderLoad(design: WriterDesign): Promise<PruneRow> {
  const dir = freshDir();
  try {
    await (await Store.open({ dataDir: dir, logger, retention: false })).close();
    const t = performance.now();
    fillOldRows(path.join(dir, 'switchboard.db'), pruneRows);
    log(`  filled ${pruneRows} old rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const store = await Store.open({
      dataDir: dir,
      logger,
      writer: design,
      retention: { maxAgeMs: 7 * 24 * 3600_000 },
    });
    try {
      let done = false;
      const r = await withLoopDelay(async () => {
        const loading = (async () => {
          while (!done) await produce(store, 5000, 200);
        })();
        const result = await store.prune();
        done = true;
        await loading;
        return result;
      });
      return { design, deleted: r.logs + r.traffic, pruneMs: r.ms, p99: r.p99, max: r.max };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
const n = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

log(
  `store bench: ${seconds} s per rate, rates ${rates.join(', ')} rows/s, ${n(pruneRows)} rows to prune; ${cpus().length} cores, Node ${process.version}`,
);
const baseline = await withLoopDelay(async () => ({ sent: await produce(null, 20_000, seconds * 1000) }));
const ingestRows: IngestRow[] = [];
for (const rate of rates) {
  for (const design of designs) {
    log(`ingest ${design} at ${rate} rows/s`);
    ingestRows.push(await ingest(design, rate));
  }
}
const pruneResults: PruneRow[] = [];
for (const design of designs) {
  log(`prune ${design}`);
  pruneResults.push(await pruneUnderLoad(design));
}

console.log(
  `\nEvent-loop delay of the producer alone (no store), 20,000 rows/s: p99 ${n(baseline.p99, 1)} ms, max ${n(baseline.max, 1)} ms\n`,
);
console.log(
  table(
    [
      'writer',
      'offered rows/s',
      'committed rows/s',
      'rows lost',
      'drain after stop (ms)',
      'loop delay p99 (ms)',
      'max (ms)',
    ],
    ingestRows.map((r) => [
      r.design,
      n(r.rate),
      n(r.committedPerSec),
      n(r.lost),
      n(r.drainMs),
      n(r.p99, 1),
      n(r.max, 1),
    ]),
  ),
);
console.log();
console.log(
  table(
    ['writer', 'rows pruned', 'prune time (s)', 'rows pruned/s', 'loop delay p99 (ms)', 'max (ms)'],
    pruneResults.map((r) => [
      r.design,
      n(r.deleted),
      n(r.pruneMs / 1000, 1),
      n((r.deleted / r.pruneMs) * 1000),
      n(r.p99, 1),
      n(r.max, 1),
    ]),
  ),
);
