/**
 * Drives sessions: each runs sequential `tools/call echo` calls in a loop until time is up, every call with a
 * unique message (`s<session>-c<n>`) whose echo is checked exactly. CPU is sampled around the measured part only.
 */
import type { BenchSession, RpcResponse } from './clients.js';
import os from 'node:os';
import { CLK_TCK, cpuTicks, machineBusyTicks, ticksToMicros } from './procfs.js';

/** What the fixture answers to `echo {message}` (its default name is "fixture"). */
export const expectedText = (message: string) => `fixture: ${message}`;

/** Why an answer to `echo` call `id` with `message` is not the exact echo, or null when it is. */
export function echoMismatch(res: RpcResponse, id: number, message: string): string | null {
  const text = res.result?.content?.[0]?.text;
  if (res.id === id && text === expectedText(message)) return null;
  return `${message} (id ${id}): got id ${JSON.stringify(res.id)}, text ${JSON.stringify(text)}`;
}

export interface LevelResult {
  transport: string;
  sessions: number;
  /** Measured calls (warm-up excluded). */
  calls: number;
  seconds: number;
  callsPerSecond: number;
  /** Round-trip latency in microseconds. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU microseconds per call; null where there is no such process (no gateway on the direct path). */
  gatewayCpuUs: number | null;
  serverCpuUs: number | null;
  clientCpuUs: number;
  /**
   * CPU that went to anything else during the measured run (other processes, interrupts, steal), in % of all
   * cores: a high value means the run was disturbed.
   */
  otherCpuPercent: number;
  /** Over warm-up and measured calls. */
  mismatches: number;
  errors: number;
  problems: string[];
  /** The measured run on the monotonic clock in µs (what V8 CPU profiles time-stamp samples with). */
  windowUs: [number, number];
  /** Every measured call's latency, ascending (to merge runs: mergeResults). */
  latencies: Float64Array;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

interface Tally {
  calls: number;
  latencies: number[];
  mismatches: number;
  errors: number;
  problems: string[];
}

/** Per-session call counters that run on across warm-up and measurement, so every message stays unique. */
export class SessionSet {
  private readonly counters: number[];

  constructor(readonly sessions: BenchSession[]) {
    this.counters = sessions.map(() => 0);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.sessions.map((s) => s.close()));
  }

  /** Runs every session for `ms` milliseconds; rejects if they have not all stopped `ms + 20 s` later. */
  async drive(ms: number, recordLatency: boolean): Promise<Tally> {
    const tally: Tally = { calls: 0, latencies: [], mismatches: 0, errors: 0, problems: [] };
    const note = (problem: string) => {
      if (tally.problems.length < 5) tally.problems.push(problem);
    };
    const end = performance.now() + ms;
    const loop = async (index: number) => {
      const session = this.sessions[index]!;
      while (performance.now() < end) {
        const n = ++this.counters[index]!;
        const message = `s${index}-c${n}`;
        const t0 = performance.now();
        let res;
        try {
          res = await session.call(n, message);
        } catch (err) {
          tally.errors++;
          note(`session ${index}: ${(err as Error).message}`);
          return; // the transport broke: this session stops
        }
        const t1 = performance.now();
        tally.calls++;
        if (recordLatency) tally.latencies.push((t1 - t0) * 1000);
        if (res.error) {
          tally.errors++;
          note(`${message}: JSON-RPC error ${res.error.code} ${res.error.message}`);
          continue;
        }
        const mismatch = echoMismatch(res, n, message);
        if (mismatch) {
          tally.mismatches++;
          note(mismatch);
        }
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`sessions still busy ${ms + 20_000} ms after start`)), ms + 20_000);
    });
    try {
      await Promise.race([Promise.all(this.sessions.map((_, i) => loop(i))), watchdog]);
    } finally {
      clearTimeout(timer);
    }
    return tally;
  }
}

/** Opens `n` sessions at once; if any fails, closes the others and says why. */
export async function openSessions(n: number, open: () => Promise<BenchSession>): Promise<SessionSet> {
  const settled = await Promise.allSettled(Array.from({ length: n }, open));
  const sessions = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.allSettled(sessions.map((s) => s.close()));
    throw new Error(`could not open a session: ${(failed.reason as Error).message}`);
  }
  return new SessionSet(sessions);
}

/** Rejects with "<what>: no answer within <ms> ms" unless `promise` settles first. */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The q-quantile (0..1) of ascending values, nearest rank; NaN when there are none. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface MeasureOptions {
  transport: string;
  warmupMs: number;
  measureMs: number;
  gatewayPid: number | null;
  serverPid: number;
}

/** Warm-up, then the measured run with CPU sampled around it. */
export async function measureLevel(set: SessionSet, o: MeasureOptions): Promise<LevelResult> {
  const warm = await set.drive(o.warmupMs, false);
  const gw0 = o.gatewayPid === null ? null : cpuTicks(o.gatewayPid);
  const srv0 = cpuTicks(o.serverPid);
  const client0 = process.cpuUsage();
  const busy0 = machineBusyTicks();
  const t0 = performance.now();
  const from = monotonicUs();
  const run = await set.drive(o.measureMs, true);
  const to = monotonicUs();
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const busy1 = machineBusyTicks();
  const gw1 = o.gatewayPid === null ? null : cpuTicks(o.gatewayPid);
  const srv1 = cpuTicks(o.serverPid);

  const sorted = Float64Array.from(run.latencies).sort();
  const perCall = (a: number | null, b: number | null) =>
    a === null || b === null || run.calls === 0 ? null : ticksToMicros(b - a) / run.calls;
  const clientUs = client.user + client.system;
  const oursTicks = (gw1 ?? 0) - (gw0 ?? 0) + (srv1 ?? 0) - (srv0 ?? 0) + (clientUs * CLK_TCK) / 1e6;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const otherCpuPercent = Math.max(0, ((busy1 - busy0 - oursTicks) / (seconds * CLK_TCK * cores)) * 100);
  return {
    transport: o.transport,
    sessions: set.sessions.length,
    calls: run.calls,
    seconds,
    callsPerSecond: run.calls / seconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    gatewayCpuUs: perCall(gw0, gw1),
    serverCpuUs: perCall(srv0, srv1),
    clientCpuUs: run.calls ? clientUs / run.calls : NaN,
    otherCpuPercent,
    mismatches: warm.mismatches + run.mismatches,
    errors: warm.errors + run.errors,
    problems: [...warm.problems, ...run.problems].slice(0, 5),
    windowUs: [from, to],
    latencies: sorted,
  };
}

/** Several measured runs of one transport and session count as one: percentiles over all their calls. */
export function mergeResults(runs: LevelResult[]): LevelResult {
  const first = runs[0]!;
  const latencies = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of runs) latencies.set(r.latencies, (at += r.latencies.length) - r.latencies.length);
  latencies.sort();
  const calls = runs.reduce((n, r) => n + r.calls, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const perCall = (f: (r: LevelResult) => number | null) =>
    runs.some((r) => f(r) === null) ? null : runs.reduce((n, r) => n + f(r)! * r.calls, 0) / calls;
  return {
    ...first,
    calls,
    seconds,
    callsPerSecond: calls / seconds,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    max: latencies.length ? latencies[latencies.length - 1]! : NaN,
    gatewayCpuUs: perCall((r) => r.gatewayCpuUs),
    serverCpuUs: perCall((r) => r.serverCpuUs),
    clientCpuUs: perCall((r) => r.clientCpuUs)!,
    otherCpuPercent: runs.reduce((n, r) => n + r.otherCpuPercent * r.seconds, 0) / seconds,
    mismatches: runs.reduce((n, r) => n + r.mismatches, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    problems: runs.flatMap((r) => r.problems).slice(0, 5),
    windowUs: [first.windowUs[0], runs[runs.length - 1]!.windowUs[1]],
    latencies,
  };
}
