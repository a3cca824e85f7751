/**
 * The cold phase: what a fresh gateway's first calls cost, before V8 has optimized its hot path. Each run starts a
 * fresh `switchboard run` gateway, opens one Streamable HTTP session and makes sequential echo calls at once, with
 * no warm-up. One fresh gateway is noisy, so the result is the median over several, each stopped before the next
 * starts. The same is measured with V8's defaults (the product's JIT tuning turned off) for comparison.
 */
import { StreamableSession } from './clients.js';
import { newToken, startGateway } from './processes.js';
import { memory } from './procfs.js';
import { STREAMABLE, atMost, int, ratio, table, type Target } from './report.js';
import { echoMismatch, percentile, within, type LevelResult } from './runner.js';

/** How many calls after the start count as "cold". */
export const COLD_CALLS = 2000;

/** Set to '1', the gateway leaves V8's tier-up as it is (src/main/core/util/jit-warmup.ts). */
const V8_DEFAULTS = 'SWITCHBOARD_V8_DEFAULTS';

export interface ColdRun {
  /** Latency over the run's calls, µs. */
  p50: number;
  p99: number;
  calls: number;
  /** The gateway's peak RSS (VmHWM) at the end of the run, KiB. */
  peakKiB: number | null;
  mismatches: number;
  errors: number;
  problems: string[];
}

export interface ColdVariant {
  label: string;
  runs: ColdRun[];
  /** Medians over the runs. */
  p50: number;
  p99: number;
  peakKiB: number | null;
  mismatches: number;
  errors: number;
  problems: string[];
}

export interface ColdResult {
  calls: number;
  repetitions: number;
  /** The gateway as shipped (V8 tuned at startup). */
  tuned: ColdVariant;
  /** `SWITCHBOARD_V8_DEFAULTS=1`: for comparison, not a target. */
  defaults: ColdVariant;
}

/** A call that takes this long counts as failed: the run stops instead of hanging. */
const CALL_TIMEOUT_MS = 30_000;

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One fresh gateway: `calls` echo calls from its first session's start, then the gateway is stopped. */
async function coldRun(calls: number, env: Record<string, string | undefined>): Promise<ColdRun> {
  const latencies = new Float64Array(calls);
  let done = 0;
  let mismatches = 0;
  let errors = 0;
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < 5) problems.push(problem);
  };
  const gw = await startGateway({ token: newToken(), name: 'echo', env });
  try {
    const session = await StreamableSession.open(gw);
    try {
      for (let n = 1; n <= calls; n++) {
        const message = `cold-c${n}`;
        const t0 = performance.now();
        let res;
        try {
          res = await within(CALL_TIMEOUT_MS, session.call(n, message), `call ${n}`);
        } catch (err) {
          errors++;
          note((err as Error).message);
          break; // the transport broke: this run stops
        }
        latencies[done++] = (performance.now() - t0) * 1000;
        if (res.error) {
          errors++;
          note(`${message}: JSON-RPC error ${res.error.code} ${res.error.message}`);
          continue;
        }
        const mismatch = echoMismatch(res, n, message);
        if (mismatch) {
          mismatches++;
          note(mismatch);
        }
      }
    } finally {
      await session.close().catch(() => {});
    }
    const peakKiB = memory(gw.pid)?.peakKiB ?? null;
    const sorted = latencies.subarray(0, done).sort();
    return {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      calls: done,
      peakKiB,
      mismatches,
      errors,
      problems,
    };
  } finally {
    await gw.stop();
  }
}

function summarize(label: string, runs: ColdRun[]): ColdVariant {
  const peaks = runs.flatMap((r) => (r.peakKiB === null ? [] : [r.peakKiB]));
  return {
    label,
    runs,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    peakKiB: peaks.length ? median(peaks) : null,
    mismatches: runs.reduce((n, r) => n + r.mismatches, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    problems: runs.flatMap((r) => r.problems).slice(0, 5),
  };
}

export interface ColdOptions {
  /** Fresh gateways per variant. */
  repetitions: number;
  calls: number;
  log: (line: string) => void;
}

/** Tuned and default gateways alternate (tuned, default, tuned, …), so drift on the machine hits both alike. */
export async function benchCold(o: ColdOptions): Promise<ColdResult> {
  const variants = [
    { label: 'cold (tuned)', env: { [V8_DEFAULTS]: undefined }, runs: [] as ColdRun[] },
    { label: 'cold (V8 defaults)', env: { [V8_DEFAULTS]: '1' }, runs: [] as ColdRun[] },
  ];
  o.log(`cold start (${o.repetitions} fresh gateway(s) each, ${o.calls} calls from the start):`);
  for (let i = 1; i <= o.repetitions; i++) {
    for (const v of variants) {
      const run = await coldRun(o.calls, v.env);
      v.runs.push(run);
      o.log(`  ${v.label} #${i}: p50 ${Math.round(run.p50)} µs, p99 ${Math.round(run.p99)} µs`);
    }
  }
  return {
    calls: o.calls,
    repetitions: o.repetitions,
    tuned: summarize(variants[0]!.label, variants[0]!.runs),
    defaults: summarize(variants[1]!.label, variants[1]!.runs),
  };
}

// ---- report ------------------------------------------------------------------------------------------------

/** `warm` is the Streamable HTTP 1-session level of the same run (undefined if it did not run: ratios are '–'). */
export function coldTable(cold: ColdResult, warm: LevelResult | undefined): string {
  const row = (label: string, p50: number, p99: number) => [label, int(p50), int(p99), ratio(p50 / (warm?.p50 ?? NaN))];
  const rows = [
    row(`warm (${STREAMABLE}, 1 session)`, warm?.p50 ?? NaN, warm?.p99 ?? NaN),
    row(cold.tuned.label, cold.tuned.p50, cold.tuned.p99),
    row(cold.defaults.label, cold.defaults.p50, cold.defaults.p99),
  ];
  return table(['Gateway', 'p50 µs', 'p99 µs', 'p50 / warm p50'], rows, [false, true, true, true]);
}

export function coldHeading(cold: ColdResult): string {
  return `Cold start: a fresh gateway's first ${int(cold.calls)} calls`;
}

/** The section of docs/benchmarks.md. */
export function coldSection(cold: ColdResult, warm: LevelResult | undefined): string {
  const fresh = cold.repetitions === 1 ? 'one fresh gateway' : `${cold.repetitions} fresh gateways`;
  return `## ${coldHeading(cold)}

After the warm levels (so the benchmark's own client code is already optimized), the benchmark starts a fresh
\`switchboard run\` gateway, as for Streamable HTTP, opens one Streamable HTTP session and at once makes
${int(cold.calls)} sequential echo calls, with no warm-up; p50 and p99 are over those calls. One fresh gateway is
noisy: each row is measured with ${fresh}, each stopped before the next starts, and shows the median of their
p50s and of their p99s. *cold (V8 defaults)* is the same with \`${V8_DEFAULTS}=1\` in the gateway's
environment, which turns off the V8 tuning the gateway applies at startup (\`src/main/core/util/jit-warmup.ts\`):
a comparison, not a target. Tuned and default gateways alternate, so drift on the machine hits both alike. *warm*
is the Streamable HTTP 1-session level of the same run. The cold gateways' peak RSS is in the Memory table.

${coldTable(cold, warm)}
`;
}

export function coldTargets(cold: ColdResult, warm: LevelResult | undefined): Target[] {
  if (!warm) return [];
  const x = cold.tuned.p50 / warm.p50;
  return [
    {
      target: `cold p50 ≤ 2× warm p50 (a fresh gateway's first ${int(cold.calls)} calls, median of ${cold.repetitions})`,
      measured: `${int(cold.tuned.p50)} µs vs ${int(warm.p50)} µs = ${ratio(x)}`,
      ...atMost(x, 2),
    },
  ];
}
