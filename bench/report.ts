/** Tables for stdout and docs/benchmarks.md, and the issue's targets. */
import type { MachineInfo } from './procfs.js';
import type { LevelResult } from './runner.js';

export const DIRECT = 'direct stdio';
/** A bare node:http server answering the echo itself: the cost of one HTTP hop, without gateway or child. */
export const FLOOR = 'HTTP floor';
export const STREAMABLE = 'Streamable HTTP';
export const SSE = 'legacy SSE';
/** Streamable HTTP through `switchboard serve`: metrics, traffic recorder and SQLite store all on. */
export const TELEMETRY = 'Streamable HTTP + telemetry';

export interface MemoryRow {
  process: string;
  startKiB: number | null;
  peakKiB: number | null;
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
  /** By how much a missed target is missed ("16.0 % over", "over by 19.8 points"). */
  shortfall?: string;
}

/** Above this much CPU going elsewhere during a measured run (% of all cores), the run counts as disturbed. */
export const DISTURBED_PERCENT = 10;

export function disturbed(results: LevelResult[]): LevelResult[] {
  return results.filter((r) => r.otherCpuPercent > DISTURBED_PERCENT);
}

function caveat(...rows: LevelResult[]): string {
  const worst = Math.max(...rows.map((r) => r.otherCpuPercent));
  return worst > DISTURBED_PERCENT ? ` (disturbed: other CPU ${worst.toFixed(0)}%)` : '';
}

export interface Report {
  date: Date;
  machine: MachineInfo;
  /** The code measured, e.g. "3fc1c54 (with uncommitted changes)". */
  revision: string;
  mode: string;
  warmupMs: number;
  measureMs: number;
  clkTck: number;
  results: LevelResult[];
  memory: MemoryRow[];
  /** Sections of the phases beside the warm levels (cold start, large results), placed after Memory. */
  sections: string[];
  targets: Target[];
}

/** A Markdown table, padded so it also reads well as plain text. */
export function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => r[i]!.length)));
  const cell = (s: string, i: number) => (rightAligned[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (rightAligned[i] ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Alignment for a table whose first column is a label and the rest numbers. */
export const numbersRightAligned = (header: string[]) => header.map((_, i) => i > 0);

// Number formats shared by every table ('–' where there is no value).
export const int = (n: number | null) =>
  n === null || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US');
export const one = (n: number | null) => (n === null || !Number.isFinite(n) ? '–' : n.toFixed(1));
export const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');
export const mib = (kib: number | null) =>
  kib === null || !Number.isFinite(kib) ? '–' : `${(kib / 1024).toFixed(1)} MiB`;
export const signed = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)} %`;
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function resultsTable(results: LevelResult[]): string {
  return table(
    [
      'Transport',
      'Sessions',
      'Calls',
      'Calls/s',
      'p50 µs',
      'p90 µs',
      'p99 µs',
      'Gateway CPU µs/call',
      'Server CPU µs/call',
      'Client CPU µs/call',
      'Other CPU %',
      'Mismatches',
      'Errors',
    ],
    results.map((r) => [
      r.transport,
      String(r.sessions),
      int(r.calls),
      int(r.callsPerSecond),
      int(r.p50),
      int(r.p90),
      int(r.p99),
      one(r.gatewayCpuUs),
      one(r.serverCpuUs),
      one(r.clientCpuUs),
      r.otherCpuPercent.toFixed(0),
      String(r.mismatches),
      String(r.errors),
    ]),
    [false, true, true, true, true, true, true, true, true, true, true, true, true],
  );
}

export function find(results: LevelResult[], transport: string, sessions: number): LevelResult | undefined {
  return results.find((r) => r.transport === transport && r.sessions === sessions);
}

function direct(results: LevelResult[], sessions: number): LevelResult | undefined {
  return find(results, DIRECT, sessions);
}

export function ratioTable(results: LevelResult[]): string {
  const rows = results
    .filter((r) => r.transport !== DIRECT)
    .map((r) => {
      const d = direct(results, r.sessions);
      return [
        r.transport,
        String(r.sessions),
        d ? ratio(r.p50 / d.p50) : '–',
        d ? ratio(r.p90 / d.p90) : '–',
        d ? ratio(r.p99 / d.p99) : '–',
        d ? ratio(r.callsPerSecond / d.callsPerSecond) : '–',
      ];
    });
  const header = ['Transport', 'Sessions', 'p50 / direct', 'p90 / direct', 'p99 / direct', 'Calls/s / direct'];
  return table(header, rows, numbersRightAligned(header));
}

export function memoryTable(memory: MemoryRow[]): string {
  return table(
    ['Process', 'RSS after start', 'Peak RSS (VmHWM)'],
    memory.map((m) => [m.process, mib(m.startKiB), mib(m.peakKiB)]),
    [false, true, true],
  );
}

/**
 * Verdicts are taken at the precision the report prints (0.1 % and 0.1 points), never finer: CPU comes in 10 ms
 * ticks, and a ratio of two such figures that prints as +15.0 % was once judged over +15 % by float rounding alone.
 */
const tenths = (percent: number) => Math.round(percent * 10);

/** A goal of the form `value ≤ goal`: met, or by what percent of the goal it is over. */
export function atMost(value: number, goal: number): Pick<Target, 'met' | 'shortfall'> {
  if (!Number.isFinite(value)) return { met: false, shortfall: 'not measured' };
  const over = (value / goal - 1) * 100;
  return tenths(over) <= 0 ? { met: true } : { met: false, shortfall: `${over.toFixed(1)} % over` };
}

/** A goal of the form `on / off - 1 ≤ limit`: met, or by how many percentage points it is over. */
export function apartAtMost(apart: number, limit: number): Pick<Target, 'met' | 'shortfall'> {
  if (!Number.isFinite(apart)) return { met: false, shortfall: 'not measured' };
  const over = (apart - limit) * 100;
  return tenths(over) <= 0 ? { met: true } : { met: false, shortfall: `over by ${over.toFixed(1)} points` };
}

/** The warm levels' targets (the phases beside them add their own). */
export function targets(results: LevelResult[]): Target[] {
  const out: Target[] = [];
  const d1 = direct(results, 1);
  const s1 = find(results, STREAMABLE, 1);
  if (d1 && s1) {
    const x = s1.p50 / d1.p50;
    out.push({
      target: 'p50 over Streamable HTTP ≤ 6× direct stdio (1 session)',
      measured: `${int(s1.p50)} µs vs ${int(d1.p50)} µs = ${ratio(x)}${caveat(s1, d1)}`,
      ...atMost(x, 6),
    });
  }
  for (const transport of [STREAMABLE, SSE]) {
    const r = find(results, transport, 32);
    if (!r || r.gatewayCpuUs === null) continue;
    out.push({
      target: `gateway CPU per call at 32 sessions ≤ 100 µs (${transport})`,
      measured: `${one(r.gatewayCpuUs)} µs${caveat(r)}`,
      ...atMost(r.gatewayCpuUs, 100),
    });
  }
  return out;
}

/** Counted over every phase: the last row of the targets. */
export function mismatchTarget(mismatches: number): Target {
  return {
    target: '0 mismatched answers',
    measured: String(mismatches),
    met: mismatches === 0,
    shortfall: `${mismatches} too many`,
  };
}

export function targetsTable(list: Target[]): string {
  return table(
    ['Target', 'Measured', 'Met'],
    list.map((t) => [t.target, t.measured, t.met ? 'yes' : `**no**${t.shortfall ? ` (${t.shortfall})` : ''}`]),
    [false, false, false],
  );
}

export function disturbedNote(results: LevelResult[]): string {
  const bad = disturbed(results);
  if (bad.length === 0) return '';
  return `
**Caution:** ${bad.length} of ${results.length} levels ran while something else used more than ${DISTURBED_PERCENT}% of the
CPU (column *Other CPU %*): ${bad.map((r) => `${r.transport} ×${r.sessions}`).join(', ')}. Their numbers are not
reliable; 1-session latency is the most sensitive (on this VM a busy machine makes wake-ups, and so direct stdio,
much faster). Run \`npm run bench\` again on a quiet machine.
`;
}

export function markdown(r: Report): string {
  const m = r.machine;
  const totalCalls = r.results.reduce((n, x) => n + x.calls, 0);
  return `# Benchmarks

Generated by \`npm run bench\` (\`bench/gateway-bench.ts\`); do not edit by hand, run it again.

- Command: \`npm run bench\`${r.mode === 'full' ? '' : ` (mode: ${r.mode})`}
- Date: ${r.date.toISOString()}
- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.kernel}
- Node: ${m.node}
- Code: ${r.revision}
- Each level: ${r.warmupMs / 1000} s warm-up, then ${r.measureMs / 1000} s measured; ${int(totalCalls)} measured calls in all

## What is measured

A \`tools/call echo\` round trip to \`test/fixtures/fixture-server.mjs\` (a raw JSON-RPC stdio server, run with
\`node\`), three ways, plus one reference row:

- **direct stdio**: the benchmark spawns the fixture and writes newline-delimited JSON-RPC to its stdin after an
  \`initialize\`. At 8 and 32 "sessions" this means 8 or 32 requests in flight at once on the one child, pipelined
  with distinct ids.
- **Streamable HTTP**: \`node bin/switchboard run --port 0 --token … -- node test/fixtures/fixture-server.mjs\` as a
  separate process; each session initializes, then POSTs to \`/servers/echo/mcp\` and gets \`application/json\`.
- **legacy SSE**: the same gateway; each session holds a \`GET /servers/echo/sse\` stream, POSTs to the endpoint it
  names (202) and reads the answer as an \`event: message\` on the stream.
- **HTTP floor** (reference, not a target): \`bench/http-floor-server.mjs\`, a bare \`node:http\` server that answers
  the echo itself, with no gateway logic and no child, driven by the same Streamable HTTP client. It is what one
  node:http hop costs on this machine; "/ HTTP floor" columns show what the gateway adds on top of it (its own
  logic plus the stdio hop to the child).
- **Streamable HTTP + telemetry**: the same calls through \`switchboard serve\` with everything on: metrics, the
  traffic recorder (redaction, pairing, the live ring) and the SQLite store writing every frame on its worker
  thread. Its gateway CPU column includes that thread. It is measured in rounds alternating with a \`run\` gateway
  started beside it (section *Telemetry on and off, side by side*); its rows merge its rounds. At 1 session the
  machine has CPU to spare and the cost hardly shows in latency; at 8 and 32 sessions client, gateway, child and
  writer thread compete for the same two cores, so the extra CPU per call (mostly SQLite inserts of two rows per
  call) shows up as latency.

Every session makes sequential calls in a loop for the measured time; 1, 8 and 32 sessions run at once. The client
is hand-written on \`node:http\` with one keep-alive socket per session (plus the stream's socket for SSE), not the
SDK and not \`fetch\`. Every call carries a unique message \`s<session>-c<n>\`; an answer whose id or text is not
exactly the echo of that message is a mismatch (counted over warm-up and measured calls).

Columns: latency is the client-side round trip. CPU per call is process CPU time (utime + stime from
\`/proc/<pid>/stat\`, ${r.clkTck} ticks/s, all threads, children excluded) over the measured calls: *Gateway* is the
Switchboard node process alone, *Server* the fixture, *Client* the benchmark process. All three share the same
${m.cores} cores, so calls/s at 8 and 32 sessions are bounded by their combined CPU, not by the gateway alone.
*Other CPU %* is what everything else on the machine used meanwhile (other processes, interrupts including
loopback networking, steal), in % of all cores: a row with a high value was disturbed. At 1 session the processes
sleep between messages, so every call pays several wake-ups; on a VM those dominate latency and CPU per call.

## Results

${resultsTable(r.results)}

## Gateway against direct stdio

${ratioTable(r.results)}

## Memory

${memoryTable(r.memory)}

Each gateway process served one transport (a fresh gateway for Streamable HTTP, for SSE, and the two of the
telemetry comparison), so its peak covers that transport's 1, 8 and 32 session levels.
${r.sections.map((section) => `\n${section.trim()}\n`).join('')}
## Targets (from the issue)

${targetsTable(r.targets)}
${disturbedNote(r.results)}`;
}
