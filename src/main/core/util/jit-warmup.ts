/**
 * V8 tuning for the gateway's first calls, applied before anything else loads.
 *
 * V8 moves a function to optimized code only after it has run through an "interrupt budget" of bytecode. With the
 * default budget, a fresh gateway needs about 2,000 calls before its hot path (node:http, the router, JSON) is
 * optimized: the first calls of every agent session ran at 2.5–3× the warm latency. A smaller budget gets there
 * in a few hundred calls. Measured with `npm run bench` (the cold phase, docs/benchmarks.md): the warm path does
 * not change, and startup does not get slower.
 */
import v8 from 'node:v8';

export const INTERRUPT_BUDGET = 16_000;

let applied = false;

/** Idempotent; `SWITCHBOARD_V8_DEFAULTS=1` leaves V8 as it is (to compare in the benchmark). */
export function tuneJit(env: NodeJS.ProcessEnv = process.env): boolean {
  if (applied || env.SWITCHBOARD_V8_DEFAULTS === '1') return applied;
  v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  applied = true;
  return applied;
}

tuneJit();
