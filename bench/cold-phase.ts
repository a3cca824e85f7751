/**
 * The cold phase: what a fresh gateway's first calls cost, before V8 has optimized its hot path. Each run starts a
 * fresh `switchboard run` gateway, opens one Streamable HTTP session and makes sequential echo calls at once, with
 * no warm-up: the first COLD_CALLS are the cold part; the same gateway then goes on to WARM_FROM calls and its
 * last COLD_CALLS are its own warm reference. Comparing a gateway with itself matters on this machine: a 1-session
 * loop's latency flips between two levels (about 170 and 450 µs) from one process placement to the next, so a
 * warm figure from another process would make the ratio a coin toss. One fresh gateway is noisy, so the result is
 * the median over several, each stopped before the next starts. The same is measured with V8's defaults (the
 * product's JIT tuning turned off) for comparison.
 */
import { StreamableSession } from './clients.js';
import { newToken, startGateway } from './processes.js';
import { memory } from './procfs.js';
import { STREAMABLE, atMost, int, ratio, table, type Target } from './report.js';
import { echoMismatch, percentile, within, type LevelResult } from './runner.js';

/** How many calls after the start count as "cold". */
export const COLD_CALLS = 2000;
/** The same gateway's warm reference: its calls from here to here + COLD_CALLS. */
export const WARM_FROM = 6000;

/** Set to '1', the gateway leaves V8's tier-up as it is (src/main/core/util/jit-warmup.ts). */
const V8_DEFAULTS = 'SWITCHBOARD_V8_DEFAULTS';

export interface ColdRun {
  /** Latency over the first `calls` calls, µs. */
  p50: number;
  p99: number;
  /** The same gateway's calls WARM_FROM + 1 … WARM_FROM + COLD_CALLS, µs. */
  warmP50: number;
  warmP99: number;
  /** p50 / warmP50. */
  ratio: number;
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
  warmP50: number;
  warmP99: number;
  /** The median of the runs' cold / warm ratios. */
  ratio: number;
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

/** One fresh gateway: echo calls from its first session's start to its warm reference, then it is stopped. */
async function coldRun(calls: number, env: Record<string, string | undefined>): Promise<ColdRun> {
  const total = WARM_FROM + calls;
  const latencies = new Float64Array(total);
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
      for (let n = 1; n <= total; n++) {
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
    const cold = latencies.slice(0, Math.min(done, calls)).sort();
    const warm = latencies.slice(WARM_FROM, Math.max(WARM_FROM, done)).sort();
    const p50 = percentile(cold, 0.5);
    const warmP50 = percentile(warm, 0.5);
    return {
      p50,
      p99: percentile(cold, 0.99),
      warmP50,
      warmP99: percentile(warm, 0.99),
      ratio: p50 / warmP50,
      calls: cold.length,
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
    warmP50: median(runs.map((r) => r.warmP50)),
    warmP99: median(runs.map((r) => r.warmP99)),
    ratio: median(runs.map((r) => r.ratio)),
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
      o.log(
        `  ${v.label} #${i}: p50 ${Math.round(run.p50)} µs, p99 ${Math.round(run.p99)} µs; ` +
          `same gateway warm p50 ${Math.round(run.warmP50)} µs (${ratio(run.ratio)})`,
      );
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

/** `warm` is the Streamable HTTP 1-session level of the same run (information; the ratio is per gateway). */
export function coldTable(cold: ColdResult, warm: LevelResult | undefined): string {
  const rows = [cold.tuned, cold.defaults].map((v) => [
    v.label,
    int(v.p50),
    int(v.p99),
    int(v.warmP50),
    int(v.warmP99),
    ratio(v.ratio),
  ]);
  rows.push([`main phase (${STREAMABLE}, 1 session)`, '–', '–', int(warm?.p50 ?? NaN), int(warm?.p99 ?? NaN), '–']);
  return table(
    ['Gateway', 'first calls p50 µs', 'p99 µs', 'same gateway warm p50 µs', 'warm p99 µs', 'cold / warm p50'],
    rows,
    [false, true, true, true, true, true],
  );
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
${int(cold.calls)} sequential echo calls, with no warm-up (the *first calls* columns). The same gateway goes on to
call ${int(WARM_FROM + cold.calls)}, and its calls ${int(WARM_FROM + 1)}–${int(WARM_FROM + cold.calls)} are its own
warm reference: on this machine a 1-session loop's latency flips between two levels from one process to the
next, so the ratio compares each gateway with itself. One fresh gateway is noisy: each row is measured with
${fresh}, each stopped before the next starts, and shows the medians over them (the ratio is the median of the
gateways' ratios). *cold (V8 defaults)* is the same with \`${V8_DEFAULTS}=1\` in the gateway's
environment, which turns off the V8 tuning the gateway applies at startup (\`src/main/core/util/jit-warmup.ts\`):
a comparison, not a target. Tuned and default gateways alternate, so drift on the machine hits both alike. The
last row is the Streamable HTTP 1-session level of the main phase, for reference. The cold gateways' peak RSS is
in the Memory table.

${coldTable(cold, warm)}
`;
}

export function coldTargets(cold: ColdResult, _warm?: LevelResult): Target[] {
  const x = cold.tuned.ratio;
  return [
    {
      target: `cold p50 ≤ 2× warm p50 (a fresh gateway's first ${int(cold.calls)} calls against its own calls ${int(WARM_FROM + 1)}–${int(WARM_FROM + cold.calls)}, median of ${cold.repetitions})`,
      measured: `${int(cold.tuned.p50)} µs vs ${int(cold.tuned.warmP50)} µs = ${ratio(x)}`,
      ...atMost(x, 2),
    },
  ];
}
