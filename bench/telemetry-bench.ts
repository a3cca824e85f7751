/**
 * Telemetry micro-benchmark: pushes synthetic router frames through Metrics and TrafficRecorder and prints the
 * cost per frame. The recorder's cost includes its batched work (redaction, truncation, pairing, ring, sink),
 * which runs once per 500 frames inside `onFrame` or on its timer; the run ends with a flush so none is missed.
 *
 * The last row adds the SQLite store as `serve` runs it: a real database file in a temporary folder, written on
 * the writer thread (its CPU counts: process CPU covers all threads); the run ends when every row is committed.
 *
 *   node --import tsx bench/telemetry-bench.ts [--frames 1000000] [--payload 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Store } from '../src/main/core/store/index.js';
import type { FrameEvent, FrameObserver } from '../src/main/core/telemetry/frame.js';
import { FanOutObserver } from '../src/main/core/telemetry/fan-out.js';
import { Metrics } from '../src/main/core/telemetry/metrics.js';
import { TrafficRecorder } from '../src/main/core/telemetry/traffic-recorder.js';
import { createLogger } from '../src/main/core/util/logger.js';

const { values: flags } = parseArgs({
  options: {
    frames: { type: 'string', default: '1000000' },
    payload: { type: 'string', default: '200' },
  },
});
const FRAMES = Number(flags.frames);
const PAYLOAD = Number(flags.payload);

/** Builds a frame the way the router's FrameTap does, so the observers see the router's object shape. */
function emitFrame(
  direction: FrameEvent['direction'],
  server: string,
  payload: string,
  kind: FrameEvent['kind'],
  session: { id: string; clientInfo?: { name: string } } | null,
  extra: Partial<FrameEvent>,
): FrameEvent {
  return {
    direction,
    server,
    session: session?.id ?? null,
    clientName: session?.clientInfo?.name,
    kind,
    method: extra.method,
    clientId: extra.clientId,
    isError: extra.isError,
    latencyMs: extra.latencyMs,
    size: payload.length,
    time: Date.now(),
    payload,
  };
}

/**
 * A pool of request/response pairs over 8 sessions, 3 servers and 4 methods, 1 in 50 an error. Frames are
 * reused from the pool, so the loop measures the observers, not the making of frames.
 */
function framePool(size: number): FrameEvent[] {
  const methods = ['tools/call', 'tools/list', 'resources/read', 'prompts/get'];
  const pool: FrameEvent[] = [];
  // Prose, not 'xxxx': a run of one letter is a pathological input for the redaction patterns (xox…).
  const prose = 'The quick brown fox jumps over the lazy dog; 42 items found in src/main (see docs). ';
  const text = prose.repeat(Math.ceil(PAYLOAD / prose.length)).slice(0, Math.max(0, PAYLOAD - 80));
  for (let i = 0; i < size; i += 2) {
    const server = `server-${i % 3}`;
    const session = { id: `session-${i % 8}-0123456789abcdef`, clientInfo: { name: 'bench-client' } };
    const method = methods[(i / 2) % 4];
    const id = i;
    const request = `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":{"name":"echo","arguments":{"message":"${text}"}}}`;
    const response = `{"result":{"content":[{"type":"text","text":"${text}"}]},"jsonrpc":"2.0","id":${id}}`;
    pool.push(emitFrame('up', server, request, 'request', session, { method, clientId: id, isError: false }));
    pool.push(
      emitFrame('down', server, response, 'response', session, {
        method,
        clientId: id,
        isError: i % 100 === 0,
        latencyMs: (i * 7) % 250,
      }),
    );
  }
  return pool;
}

function run(observer: FrameObserver, pool: FrameEvent[], n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) observer.onFrame(pool[i % pool.length]);
  return Number(process.hrtime.bigint() - start);
}

/**
 * ns per frame, wall clock and CPU time (this process, all threads: GC included), best of three after a warm-up
 * round. The machine may be shared; CPU time is the steadier of the two.
 */
interface Subject {
  observer: FrameObserver;
  finish?: () => void | Promise<void>;
  dispose: () => void | Promise<void>;
}

async function measure(make: () => Subject | Promise<Subject>) {
  const pool = framePool(4096);
  let wall = Infinity;
  let cpu = Infinity;
  for (let round = 0; round < 4; round++) {
    const { observer, finish, dispose } = await make();
    run(observer, pool, 100_000);
    await finish?.();
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    // In slices, so the recorder's timer and the writer thread's replies get their turns as in a real process.
    for (let done = 0; done < FRAMES; done += 10_000) {
      run(observer, pool, Math.min(10_000, FRAMES - done));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await finish?.();
    const ns = Number(process.hrtime.bigint() - start);
    const used = process.cpuUsage(cpuStart);
    await dispose();
    if (round === 0) continue;
    wall = Math.min(wall, ns / FRAMES);
    cpu = Math.min(cpu, ((used.user + used.system) * 1000) / FRAMES);
  }
  return { wall, cpu };
}

const secrets = ['sk-proj-abcdefghijklmnopqrstuvwxyz', 'hunter2-password', 'db-pass-0123456789', 'A1B2C3D4E5'];
const noop: FrameObserver = { onFrame: () => {} };
let sunk = 0;
const recorder = (withSecrets: boolean) => {
  const r = new TrafficRecorder({ sink: (rows) => (sunk += rows.length) });
  if (withSecrets) for (const s of secrets) r.addSecret(s);
  return r;
};

const rows: Array<[string, { wall: number; cpu: number }]> = [];
rows.push(['empty observer (loop floor)', await measure(() => ({ observer: noop, dispose: () => {} }))]);
rows.push([
  'Metrics',
  await measure(() => {
    const m = new Metrics();
    return { observer: m, dispose: () => m.dispose() };
  }),
]);
for (const withSecrets of [false, true]) {
  rows.push([
    `TrafficRecorder${withSecrets ? ` (${secrets.length} marked secrets)` : ''}`,
    await measure(() => {
      const r = recorder(withSecrets);
      return { observer: r, finish: () => void r.query({ limit: 0 }), dispose: () => r.dispose() };
    }),
  ]);
}
rows.push([
  'Metrics + TrafficRecorder (FanOutObserver)',
  await measure(() => {
    const m = new Metrics();
    const r = recorder(true);
    return {
      observer: new FanOutObserver([m, r]),
      finish: () => void r.query({ limit: 0 }),
      dispose: () => (m.dispose(), r.dispose()),
    };
  }),
]);
rows.push([
  'Metrics + TrafficRecorder + SQLite store (writer thread)',
  await measure(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-telemetry-bench-'));
    const store = await Store.open({ dataDir: dir, logger: createLogger('silent', () => {}), retention: false });
    const m = new Metrics();
    const r = new TrafficRecorder({ sink: (batch) => store.traffic.appendRecorded(batch) });
    for (const s of secrets) r.addSecret(s);
    return {
      observer: new FanOutObserver([m, r]),
      finish: async () => {
        r.query({ limit: 0 });
        await store.flush();
      },
      dispose: async () => {
        m.dispose();
        r.dispose();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }),
]);

console.log(`\n${FRAMES.toLocaleString('en')} frames of ~${PAYLOAD} chars, Node ${process.version}\n`);
console.log('| observer | ns/frame (wall) | ns/frame (CPU) |\n| --- | ---: | ---: |');
for (const [name, { wall, cpu }] of rows) console.log(`| ${name} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} |`);

// What the consumers of the numbers pay: a scrape and a snapshot with 200 live sessions.
const m = new Metrics();
for (const f of framePool(20_000)) m.onFrame({ ...f, session: `${f.session}-${(f.clientId as number) % 200}` });
let t = process.hrtime.bigint();
const text = await m.prometheusText();
const scrapeMs = Number(process.hrtime.bigint() - t) / 1e6;
t = process.hrtime.bigint();
m.snapshot();
const snapshotMs = Number(process.hrtime.bigint() - t) / 1e6;
m.dispose();
console.log(`\nprometheusText(): ${scrapeMs.toFixed(2)} ms (${text.length.toLocaleString('en')} chars)`);
console.log(`snapshot():       ${snapshotMs.toFixed(2)} ms (rows sunk: ${sunk.toLocaleString('en')})`);
