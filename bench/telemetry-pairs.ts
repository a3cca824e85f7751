/**
 * Telemetry on against off, measured side by side: a `run` gateway (no telemetry) and a `serve` gateway (metrics,
 * traffic recorder, SQLite store) run at once, and each session level alternates between them for a few rounds,
 * the order swapped each round. This machine's speed drifts by tens of percent over minutes (other tenants, CPU
 * placement): measured as two phases minutes apart, the CPU cost at 32 sessions came out at +6 % in one run and
 * +120 % in a later one with no change in between that could explain it. A ratio taken within each round, and the
 * median of the rounds, leaves the drift out.
 */
import { StreamableSession } from './clients.js';
import { newToken, startGateway, type GatewayProcess } from './processes.js';
import { memory } from './procfs.js';
import {
  TELEMETRY,
  apartAtMost,
  int,
  numbersRightAligned,
  one,
  plural,
  signed,
  table,
  type MemoryRow,
  type Target,
} from './report.js';
import { mergeResults, measureLevel, openSessions, type LevelResult } from './runner.js';

/** The `run` gateway measured beside the `serve` one. */
export const TELEMETRY_OFF = 'Streamable HTTP, telemetry off';

export interface TelemetryRound {
  off: LevelResult;
  on: LevelResult;
}

export interface TelemetryLevel {
  sessions: number;
  rounds: TelemetryRound[];
}

export interface TelemetryPairs {
  levels: TelemetryLevel[];
  roundMs: number;
  /** The 'on' rounds of each level merged: the "Streamable HTTP + telemetry" rows of the results. */
  merged: LevelResult[];
  memory: MemoryRow[];
}

export interface TelemetryPairOptions {
  levels: number[];
  rounds: number;
  /** Before a level's first round, per gateway. */
  warmupMs: number;
  /** Measured per gateway per level, split over the rounds. */
  measureMs: number;
  log: (line: string) => void;
  cpuProfDir?: string;
}

/** Between rounds the sessions only need their connections busy again, not a full warm-up. */
const ROUND_WARMUP_MS = 300;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const p50Ratio = (r: TelemetryRound) => r.on.p50 / r.off.p50;
export const cpuRatio = (r: TelemetryRound) =>
  r.on.gatewayCpuUs === null || r.off.gatewayCpuUs === null ? NaN : r.on.gatewayCpuUs / r.off.gatewayCpuUs;

export async function benchTelemetryPairs(o: TelemetryPairOptions): Promise<TelemetryPairs> {
  o.log(`${TELEMETRY} against ${TELEMETRY_OFF}, ${o.rounds} interleaved rounds per level:`);
  const roundMs = Math.max(500, Math.round(o.measureMs / o.rounds));
  const off = await startGateway({ token: newToken(), name: 'echo', cpuProfDir: o.cpuProfDir });
  let on: GatewayProcess | null = null;
  const levels: TelemetryLevel[] = [];
  try {
    on = await startGateway({ token: newToken(), name: 'echo', cpuProfDir: o.cpuProfDir, telemetry: true });
    const startOn = memory(on.pid);
    const startOff = memory(off.pid);
    for (const n of o.levels) {
      const sets = {
        off: await openSessions(n, () => StreamableSession.open(off)),
        on: await openSessions(n, () => StreamableSession.open(on!)),
      };
      try {
        const rounds: TelemetryRound[] = [];
        for (let i = 0; i < o.rounds; i++) {
          const round: Partial<TelemetryRound> = {};
          for (const which of i % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
            const gw = which === 'on' ? on : off;
            round[which] = await measureLevel(sets[which], {
              transport: which === 'on' ? TELEMETRY : TELEMETRY_OFF,
              warmupMs: i === 0 ? o.warmupMs : ROUND_WARMUP_MS,
              measureMs: roundMs,
              gatewayPid: gw.pid,
              serverPid: gw.serverPid,
            });
          }
          rounds.push(round as TelemetryRound);
          const r = round as TelemetryRound;
          o.log(
            `  ${plural(n, 'session')}, round ${i + 1}: p50 ${int(r.off.p50)} → ${int(r.on.p50)} µs (${signed(p50Ratio(r) - 1)}), ` +
              `gateway CPU ${one(r.off.gatewayCpuUs ?? NaN)} → ${one(r.on.gatewayCpuUs ?? NaN)} µs/call (${signed(cpuRatio(r) - 1)})`,
          );
        }
        levels.push({ sessions: n, rounds });
      } finally {
        await Promise.all([sets.off.closeAll(), sets.on.closeAll()]);
      }
    }
    const mem: MemoryRow[] = [
      {
        process: `gateway (${TELEMETRY})`,
        startKiB: startOn?.rssKiB ?? null,
        peakKiB: memory(on.pid)?.peakKiB ?? null,
      },
      {
        process: `gateway (${TELEMETRY_OFF})`,
        startKiB: startOff?.rssKiB ?? null,
        peakKiB: memory(off.pid)?.peakKiB ?? null,
      },
    ];
    const merged = levels.map((l) => mergeResults(l.rounds.map((r) => r.on)));
    return { levels, roundMs, merged, memory: mem };
  } finally {
    await Promise.all([off.stop(), on?.stop()]);
  }
}

/** Telemetry on vs off at every session count: the median of the rounds' ratios within +10 % (p50), +15 % (CPU). */
export function telemetryTargets(pairs: TelemetryPairs): Target[] {
  const out: Target[] = [];
  for (const level of pairs.levels) {
    const sessions = plural(level.sessions, 'session');
    const spread = (f: (r: TelemetryRound) => number) =>
      `median of ${level.rounds.length} rounds: ${signed(median(level.rounds.map(f)) - 1)} (rounds ${level.rounds.map((r) => signed(f(r) - 1)).join(', ')})`;
    out.push({
      target: `p50 with telemetry on vs off ≤ +10 % (${sessions})`,
      measured: spread(p50Ratio),
      ...apartAtMost(median(level.rounds.map(p50Ratio)) - 1, 0.1),
    });
    out.push({
      target: `gateway CPU per call with telemetry on vs off ≤ +15 % (${sessions})`,
      measured: spread(cpuRatio),
      ...apartAtMost(median(level.rounds.map(cpuRatio)) - 1, 0.15),
    });
  }
  return out;
}

export function telemetryTable(pairs: TelemetryPairs): string {
  const header = [
    'Sessions',
    'Round',
    'p50 off µs',
    'p50 on µs',
    'p50 on/off',
    'CPU off µs/call',
    'CPU on µs/call',
    'CPU on/off',
  ];
  const rows: string[][] = [];
  for (const level of pairs.levels) {
    level.rounds.forEach((r, i) =>
      rows.push([
        String(level.sessions),
        String(i + 1),
        int(r.off.p50),
        int(r.on.p50),
        `${p50Ratio(r).toFixed(2)}×`,
        one(r.off.gatewayCpuUs ?? NaN),
        one(r.on.gatewayCpuUs ?? NaN),
        `${cpuRatio(r).toFixed(2)}×`,
      ]),
    );
    rows.push([
      String(level.sessions),
      'median',
      '',
      '',
      `**${median(level.rounds.map(p50Ratio)).toFixed(2)}×**`,
      '',
      '',
      `**${median(level.rounds.map(cpuRatio)).toFixed(2)}×**`,
    ]);
  }
  return table(header, rows, numbersRightAligned(header));
}

export function telemetrySection(pairs: TelemetryPairs): string {
  return `## Telemetry on and off, side by side

A \`switchboard run\` gateway (telemetry off) and a \`switchboard serve\` gateway (telemetry on: metrics, traffic
recorder, SQLite store) run at the same time, each with its own fixture and its own sessions. At each session count
the benchmark alternates between them (rounds: ${pairs.levels[0]?.rounds.length ?? 0}; measured per round and gateway:
${pairs.roundMs / 1000} s; the order swapped every round) and takes each round's ratio of the two: this machine's speed
drifts over minutes, and only measurements made close together compare. The targets use the median of the rounds'
ratios; the *Streamable HTTP + telemetry* rows of the results merge the rounds of the \`serve\` gateway.

${telemetryTable(pairs)}
`;
}
