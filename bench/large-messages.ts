/**
 * Large results: `tools/call big {bytes}` (the fixture answers with a text of that many bytes) at 1 MiB and 10 MiB,
 * over direct stdio, Streamable HTTP, legacy SSE and Streamable HTTP + telemetry. Every path and size gets a fresh process
 * (gateway, or the fixture for direct stdio), so the peak RSS read at its end belongs to that size alone.
 */
import { DirectConnection, SseSession, StreamableSession, type BenchSession, type RpcResponse } from './clients.js';
import { newToken, spawnFixture, startGateway } from './processes.js';
import { memory } from './procfs.js';
import {
  DIRECT,
  SSE,
  STREAMABLE,
  TELEMETRY,
  atMost,
  mib,
  numbersRightAligned,
  plural,
  ratio,
  table,
  type Target,
} from './report.js';
import { percentile, within } from './runner.js';

export interface LargeSize {
  bytes: number;
  /** Measured calls (after the warm-up). */
  calls: number;
}

export interface LargeResult {
  path: string;
  bytes: number;
  calls: number;
  /** Round-trip latency, ms. */
  p50Ms: number;
  p99Ms: number;
  /** Peak RSS (VmHWM) at the end, KiB; null where there is no such process (no gateway on the direct path). */
  gatewayPeakKiB: number | null;
  serverPeakKiB: number | null;
  /** Over warm-up and measured calls. */
  mismatches: number;
  errors: number;
  problems: string[];
}

export interface LargeResults {
  warmupCalls: number;
  sizes: LargeSize[];
  rows: LargeResult[];
}

export const MiB = 1024 * 1024;

/** A 10 MiB answer through a busy machine takes well under a second; this only keeps a broken run from hanging. */
const CALL_TIMEOUT_MS = 60_000;

/** Why an answer to `big` call `id` is not a text of `bytes` x's, or null when it is. */
function bigMismatch(res: RpcResponse, id: number, bytes: number): string | null {
  const text = res.result?.content?.[0]?.text;
  const right = typeof text === 'string' && text.length === bytes && text[0] === 'x' && text[bytes - 1] === 'x';
  if (res.id === id && right) return null;
  return `big ${bytes} (id ${id}): got id ${JSON.stringify(res.id)}, text of ${text?.length ?? 'no'} characters`;
}

interface Measured {
  p50Ms: number;
  p99Ms: number;
  calls: number;
  mismatches: number;
  errors: number;
  problems: string[];
}

/** Warm-up calls, then measured ones, one at a time; every answer is checked. */
async function measure(session: BenchSession, bytes: number, warmup: number, calls: number): Promise<Measured> {
  const m: Measured = { p50Ms: NaN, p99Ms: NaN, calls: 0, mismatches: 0, errors: 0, problems: [] };
  const note = (problem: string) => {
    if (m.problems.length < 5) m.problems.push(problem);
  };
  const latencies: number[] = [];
  for (let id = 1; id <= warmup + calls; id++) {
    const t0 = performance.now();
    let res;
    try {
      res = await within(CALL_TIMEOUT_MS, session.callTool(id, 'big', { bytes }), `big ${bytes}, call ${id}`);
    } catch (err) {
      m.errors++;
      note((err as Error).message);
      break; // the transport broke: this path stops
    }
    const ms = performance.now() - t0;
    if (id > warmup) latencies.push(ms);
    if (res.error) {
      m.errors++;
      note(`big ${bytes} (id ${id}): JSON-RPC error ${res.error.code} ${res.error.message}`);
      continue;
    }
    const mismatch = bigMismatch(res, id, bytes);
    if (mismatch) {
      m.mismatches++;
      note(mismatch);
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  m.p50Ms = percentile(sorted, 0.5);
  m.p99Ms = percentile(sorted, 0.99);
  m.calls = latencies.length;
  return m;
}

async function direct(size: LargeSize, warmup: number): Promise<LargeResult> {
  const fixture = spawnFixture();
  try {
    const conn = new DirectConnection(fixture.child);
    await conn.initialize();
    const m = await measure(conn.session(0), size.bytes, warmup, size.calls);
    const serverPeakKiB = memory(fixture.pid)?.peakKiB ?? null;
    return { path: DIRECT, bytes: size.bytes, ...m, gatewayPeakKiB: null, serverPeakKiB };
  } finally {
    await fixture.stop();
  }
}

async function gateway(path: string, size: LargeSize, warmup: number): Promise<LargeResult> {
  const gw = await startGateway({ token: newToken(), name: 'echo', telemetry: path === TELEMETRY });
  try {
    const session = path === SSE ? await SseSession.open(gw) : await StreamableSession.open(gw);
    let m: Measured;
    try {
      m = await measure(session, size.bytes, warmup, size.calls);
    } finally {
      await session.close().catch(() => {});
    }
    const gatewayPeakKiB = memory(gw.pid)?.peakKiB ?? null;
    const serverPeakKiB = memory(gw.serverPid)?.peakKiB ?? null;
    return { path, bytes: size.bytes, ...m, gatewayPeakKiB, serverPeakKiB };
  } finally {
    await gw.stop();
  }
}

export interface LargeOptions {
  warmupCalls: number;
  sizes: LargeSize[];
  log: (line: string) => void;
}

/** Size by size, the three paths one after another, so each size's comparison is made close together in time. */
export async function benchLarge(o: LargeOptions): Promise<LargeResults> {
  const rows: LargeResult[] = [];
  o.log(`large results (${o.warmupCalls} warm-up call(s), then ${o.sizes.map((s) => s.calls).join('/')} measured):`);
  for (const size of o.sizes) {
    for (const path of [DIRECT, STREAMABLE, SSE, TELEMETRY]) {
      const r = path === DIRECT ? await direct(size, o.warmupCalls) : await gateway(path, size, o.warmupCalls);
      rows.push(r);
      const peak = r.gatewayPeakKiB ?? r.serverPeakKiB;
      o.log(
        `  ${path}, ${size.bytes / MiB} MiB: p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, ` +
          `peak RSS ${peak === null ? '–' : (peak / 1024).toFixed(1)} MiB`,
      );
    }
  }
  return { warmupCalls: o.warmupCalls, sizes: o.sizes, rows };
}

// ---- report ------------------------------------------------------------------------------------------------

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

export function largeTable(large: LargeResults): string {
  const rows = large.rows.map((r) => {
    const d = large.rows.find((x) => x.path === DIRECT && x.bytes === r.bytes);
    return [
      r.path,
      `${r.bytes / MiB} MiB`,
      ms(r.p50Ms),
      ms(r.p99Ms),
      ratio(r.p50Ms / (d?.p50Ms ?? NaN)),
      mib(r.gatewayPeakKiB),
      mib(r.serverPeakKiB),
    ];
  });
  const header = ['Path', 'Size', 'p50 ms', 'p99 ms', 'p50 / direct', 'Gateway peak RSS', 'Server peak RSS'];
  return table(header, rows, numbersRightAligned(header));
}

/** The section of docs/benchmarks.md. */
export function largeSection(large: LargeResults): string {
  const sizes = large.sizes.map((s) => `${plural(s.calls, 'call')} for ${s.bytes / MiB} MiB`).join(', ');
  return `## Large results

\`tools/call big {bytes}\` makes the fixture answer with one text of that many bytes, so the answer is a single
JSON-RPC message of a little over 1 MiB or 10 MiB. Four paths: direct stdio (the benchmark spawns the fixture),
Streamable HTTP and legacy SSE (the answer as an event on the stream) through \`switchboard run\`, and Streamable
HTTP + telemetry through \`switchboard serve\` (the traffic recorder and store see every frame). Every path and size gets a fresh process (the gateway, or the fixture
for direct stdio), so its peak RSS (VmHWM) belongs to that size alone. Calls are sequential:
${plural(large.warmupCalls, 'warm-up call')}, then ${sizes}; an answer with the wrong id or a text of the wrong
length counts as a mismatch. *Server peak RSS* is the fixture's (behind the gateway, or spawned directly).

${largeTable(large)}
`;
}

export function largeTargets(large: LargeResults): Target[] {
  const at = (path: string, bytes: number) => large.rows.find((r) => r.path === path && r.bytes === bytes);
  const [direct1, http1] = [at(DIRECT, MiB), at(STREAMABLE, MiB)];
  if (!direct1 || !http1) return [];
  const [direct10, http10] = [at(DIRECT, 10 * MiB), at(STREAMABLE, 10 * MiB)];
  const x = http1.p50Ms / direct1.p50Ms;
  const info = direct10 && http10 ? `; 10 MiB: ${ratio(http10.p50Ms / direct10.p50Ms)}` : '';
  return [
    {
      target: '1 MiB result over Streamable HTTP: p50 ≤ 1.5× direct stdio (10 MiB for information)',
      measured: `${ms(http1.p50Ms)} ms vs ${ms(direct1.p50Ms)} ms = ${ratio(x)}${info}`,
      ...atMost(x, 1.5),
    },
  ];
}
