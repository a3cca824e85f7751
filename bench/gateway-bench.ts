/**
 * Gateway benchmark: `tools/call echo` through direct stdio, Streamable HTTP and legacy SSE, at 1, 8 and 32
 * concurrent sessions, with telemetry on and off; then a fresh gateway's first calls (cold) and 1 MiB and 10 MiB
 * results (large). Prints the tables and writes docs/benchmarks.md. Exits non-zero on any mismatched answer (or
 * error), and stops every process it started, also on failure.
 *
 *   npm run bench                      full run (about 3 minutes; builds out/cli first), writes docs/benchmarks.md
 *   npm run bench -- --quick           short run; prints only, unless --write
 *   npm run bench -- --cpu-prof DIR    profiles the warm phases' gateways (node --cpu-prof), summarizes hot spots
 *   --seconds N, --sessions 1,8,32     narrow a run (prints only)
 *   --transports direct,floor,streamable,sse,telemetry,cold,large   run only these phases (prints only); cold
 *                                      compares with streamable's 1-session level when that runs too
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { readAllSections } from './doc-sections.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DirectConnection, SseSession, StreamableSession, type BenchSession, type GatewayTarget } from './clients.js';
import {
  COLD_CALLS,
  benchCold,
  coldHeading,
  coldSection,
  coldTable,
  coldTargets,
  type ColdResult,
} from './cold-phase.js';
import { summarizeProfile } from './cpuprofile-summary.js';
import { MiB, benchLarge, largeSection, largeTable, largeTargets, type LargeResults } from './large-messages.js';
import {
  killAllNow,
  newToken,
  repoRoot,
  shutdown,
  spawnFixture,
  startFloorServer,
  startGateway,
  stopAll,
} from './processes.js';
import { CLK_TCK, machineInfo, memory } from './procfs.js';
import {
  DIRECT,
  FLOOR,
  disturbedNote,
  SSE,
  STREAMABLE,
  find,
  markdown,
  memoryTable,
  mismatchTarget,
  ratioTable,
  resultsTable,
  targets,
  targetsTable,
  type MemoryRow,
  type Target,
} from './report.js';
import { SessionSet, measureLevel, openSessions, type LevelResult } from './runner.js';
import { benchTelemetryPairs, telemetrySection, telemetryTargets, type TelemetryPairs } from './telemetry-pairs.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    seconds: { type: 'string' },
    sessions: { type: 'string' },
    transports: { type: 'string' },
  },
});

const PHASES = ['direct', 'floor', 'streamable', 'sse', 'telemetry', 'cold', 'large'];
const LEVELS = (flags.sessions ?? '1,8,32').split(',').map(Number);
const TRANSPORTS = flags.transports?.split(',') ?? PHASES;
const unknown = TRANSPORTS.filter((t) => !PHASES.includes(t));
if (unknown.length) {
  process.stderr.write(`unknown --transports ${unknown.join(',')}: choose from ${PHASES.join(',')}\n`);
  process.exit(2);
}
const mode = flags.quick ? 'quick' : 'full';
const measureMs = flags.seconds ? Number(flags.seconds) * 1000 : flags.quick ? 1500 : 7000;
const warmupMs = flags.quick ? 500 : 2000;
/** Fresh gateways per cold variant: the median of 3 is steadier than one fresh gateway. */
const coldRepetitions = flags.quick ? 1 : 3;
/** Telemetry on and off alternate this many times per level (bench/telemetry-pairs.ts). */
const TELEMETRY_ROUNDS = flags.quick ? 2 : 5;
/** Large results: warm-up calls, then measured calls per size (fewer at 10 MiB, where each call takes ~10× as long). */
const large = {
  warmupCalls: flags.quick ? 1 : 3,
  sizes: [
    { bytes: MiB, calls: flags.quick ? 5 : 20 },
    { bytes: 10 * MiB, calls: flags.quick ? 3 : 8 },
  ],
};
const cpuProfDir = flags['cpu-prof'] ? path.resolve(flags['cpu-prof']) : undefined;
// A quick or profiled run is not the reference: it only writes the document when asked to.
const partial = flags.seconds !== undefined || flags.sessions !== undefined || flags.transports !== undefined;
const writeDoc = !flags['no-write'] && (flags.write || (mode === 'full' && !cpuProfDir && !partial));
const docPath = path.join(repoRoot, 'docs/benchmarks.md');

const log = (line: string) => process.stderr.write(`${line}\n`);

function describe(r: LevelResult): string {
  const cpu = r.gatewayCpuUs === null ? '' : `, gateway ${r.gatewayCpuUs.toFixed(1)} µs CPU/call`;
  return `  ${r.transport}, ${r.sessions} session(s): ${Math.round(r.callsPerSecond)} calls/s, p50 ${Math.round(r.p50)} µs${cpu}`;
}

async function benchDirect(results: LevelResult[], mem: MemoryRow[]): Promise<void> {
  log(`${DIRECT}:`);
  const fixture = spawnFixture();
  try {
    const conn = new DirectConnection(fixture.child);
    await conn.initialize();
    const start = memory(fixture.pid);
    for (const n of LEVELS) {
      const set = new SessionSet(Array.from({ length: n }, (_, i) => conn.session(i)));
      const r = await measureLevel(set, {
        transport: DIRECT,
        warmupMs,
        measureMs,
        gatewayPid: null,
        serverPid: fixture.pid,
      });
      results.push(r);
      log(describe(r));
    }
    mem.push({
      process: 'fixture server (direct)',
      startKiB: start?.rssKiB ?? null,
      peakKiB: memory(fixture.pid)?.peakKiB ?? null,
    });
  } finally {
    await fixture.stop();
  }
}

/** The reference: a bare node:http server answering the echo itself, driven by the Streamable HTTP client. */
async function benchFloor(results: LevelResult[], mem: MemoryRow[]): Promise<void> {
  log(`${FLOOR}:`);
  const floor = await startFloorServer();
  try {
    const start = memory(floor.pid);
    const target = { url: floor.url, token: 'unused', name: 'echo' };
    for (const n of LEVELS) {
      const set = await openSessions(n, () => StreamableSession.open(target));
      try {
        const r = await measureLevel(set, {
          transport: FLOOR,
          warmupMs,
          measureMs,
          gatewayPid: null,
          serverPid: floor.pid,
        });
        results.push(r);
        log(describe(r));
      } finally {
        await set.closeAll();
      }
    }
    mem.push({
      process: 'HTTP floor server',
      startKiB: start?.rssKiB ?? null,
      peakKiB: memory(floor.pid)?.peakKiB ?? null,
    });
  } finally {
    await floor.stop();
  }
}

async function benchGateway(
  transport: string,
  open: (target: GatewayTarget) => Promise<BenchSession>,
  results: LevelResult[],
  mem: MemoryRow[],
): Promise<void> {
  log(`${transport}:`);
  const token = newToken();
  const gw = await startGateway({ token, name: 'echo', cpuProfDir });
  try {
    const start = memory(gw.pid);
    for (const n of LEVELS) {
      const set = await openSessions(n, () => open(gw));
      try {
        const r = await measureLevel(set, {
          transport,
          warmupMs,
          measureMs,
          gatewayPid: gw.pid,
          serverPid: gw.serverPid,
        });
        results.push(r);
        log(describe(r));
      } finally {
        await set.closeAll();
      }
    }
    const end = memory(gw.pid);
    mem.push({ process: `gateway (${transport})`, startKiB: start?.rssKiB ?? null, peakKiB: end?.peakKiB ?? null });
    const serverEnd = memory(gw.serverPid);
    mem.push({
      process: `fixture server (behind gateway, ${transport})`,
      startKiB: null,
      peakKiB: serverEnd?.peakKiB ?? null,
    });
  } finally {
    await gw.stop();
  }
  if (cpuProfDir) {
    // Written when the gateway exits, one file per thread: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
    // Thread 0 is the main thread (tsx's loader hooks run in a worker, thread 1, and only at startup).
    // Only samples taken during the measured runs count (not startup, warm-up or session set-up).
    const file = readdirSync(cpuProfDir).find((f) => f.includes(`.${gw.pid}.0.`) && f.endsWith('.cpuprofile'));
    const windows = results.filter((r) => r.transport === transport).map((r) => r.windowUs);
    if (file) {
      const summary = summarizeProfile(path.join(cpuProfDir, file), { top: 25, root: repoRoot, windows });
      log(`\nGateway CPU profile (${transport}, measured runs only):\n${summary}\n`);
    } else log(`no main-thread CPU profile was written to ${cpuProfDir}`);
  }
}

function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function main(): Promise<number> {
  const machine = machineInfo();
  log(
    `Switchboard gateway benchmark (${mode}): ${warmupMs / 1000} s warm-up + ${measureMs / 1000} s per level, ` +
      `sessions ${LEVELS.join('/')}; ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`,
  );
  if (cpuProfDir) {
    mkdirSync(cpuProfDir, { recursive: true });
    log(`profiling the gateway into ${cpuProfDir} (numbers are perturbed by the profiler)`);
  } else {
    // bin/switchboard runs the TypeScript through tsx when a source is newer than out/cli: a benchmark of an edited
    // checkout would then measure the loader, not the gateway. Build first (a second or two when nothing changed).
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-cli.mjs'), '--quiet'], { stdio: 'inherit' });
  }
  const date = new Date();
  const rev = revision(); // before the run: the working tree may change while it runs
  const results: LevelResult[] = [];
  const mem: MemoryRow[] = [];
  if (TRANSPORTS.includes('direct')) await benchDirect(results, mem);
  if (TRANSPORTS.includes('floor')) await benchFloor(results, mem);
  if (TRANSPORTS.includes('streamable')) await benchGateway(STREAMABLE, (t) => StreamableSession.open(t), results, mem);
  if (TRANSPORTS.includes('sse')) await benchGateway(SSE, (t) => SseSession.open(t), results, mem);
  let pairs: TelemetryPairs | null = null;
  if (TRANSPORTS.includes('telemetry')) {
    pairs = await benchTelemetryPairs({
      levels: LEVELS,
      rounds: TELEMETRY_ROUNDS,
      warmupMs,
      measureMs,
      log,
      cpuProfDir,
    });
    results.push(...pairs.merged);
    mem.push(...pairs.memory);
  }
  // After the warm phases: the benchmark's own client code is JIT-warm by then, so only the gateway is cold.
  let cold: ColdResult | null = null;
  if (TRANSPORTS.includes('cold')) {
    cold = await benchCold({ repetitions: coldRepetitions, calls: COLD_CALLS, log });
    for (const v of [cold.tuned, cold.defaults]) {
      mem.push({ process: `gateway, ${v.label}, median of ${v.runs.length}`, startKiB: null, peakKiB: v.peakKiB });
    }
  }
  const big: LargeResults | null = TRANSPORTS.includes('large') ? await benchLarge({ ...large, log }) : null;

  const warm = find(results, STREAMABLE, 1);
  const tally = failures(results, cold, big);
  const list: Target[] = [
    ...targets(results),
    ...(pairs ? telemetryTargets(pairs) : []),
    ...(cold ? coldTargets(cold, warm) : []),
    ...(big ? largeTargets(big) : []),
    mismatchTarget(tally.mismatches),
  ];
  // Only the tables of the phases that ran (a narrowed run may have no warm levels).
  const printed: string[] = [];
  const print = (title: string, body: string) => printed.push(`\n## ${title}\n${body}\n`);
  if (results.length) {
    print('Results', resultsTable(results));
    print('Gateway against direct stdio', ratioTable(results));
  }
  if (mem.length) print('Memory', memoryTable(mem));
  if (pairs) printed.push(`\n${telemetrySection(pairs)}`);
  if (cold) print(coldHeading(cold), coldTable(cold, warm));
  if (big) print('Large results', largeTable(big));
  print('Targets', targetsTable(list));
  process.stdout.write(printed.join('') + disturbedNote(results));

  for (const p of tally.problems) log(`problem ${p}`);
  if (writeDoc) {
    mkdirSync(path.dirname(docPath), { recursive: true });
    const kept = readAllSections(docPath); // written by the other benchmarks: kept as they are
    const sections = [
      ...(pairs ? [telemetrySection(pairs)] : []),
      ...(cold ? [coldSection(cold, warm)] : []),
      ...(big ? [largeSection(big)] : []),
    ];
    writeFileSync(
      docPath,
      markdown({
        date,
        machine,
        revision: rev,
        mode,
        warmupMs,
        measureMs,
        clkTck: CLK_TCK,
        results,
        memory: mem,
        sections,
        targets: list,
      }) + kept.map((section) => `\n${section}\n`).join(''),
    );
    log(`wrote ${path.relative(repoRoot, docPath)}`);
  } else log(`${path.relative(repoRoot, docPath)} not written (${mode} run; pass --write to write it)`);

  if (tally.mismatches > 0) log(`FAILED: ${tally.mismatches} mismatched answer(s)`);
  if (tally.errors > 0) log(`FAILED: ${tally.errors} failed call(s)`);
  return tally.mismatches > 0 || tally.errors > 0 ? 1 : 0;
}

/** Mismatches and errors over every phase, and what went wrong (the first few of each part). */
function failures(results: LevelResult[], cold: ColdResult | null, big: LargeResults | null) {
  const parts = [
    ...results.map((r) => ({ what: `${r.transport}, ${r.sessions} sessions`, ...r })),
    ...(cold ? [cold.tuned, cold.defaults].map((v) => ({ what: v.label, ...v })) : []),
    ...(big?.rows ?? []).map((r) => ({ what: `${r.path}, ${r.bytes / MiB} MiB`, ...r })),
  ];
  return {
    mismatches: parts.reduce((n, p) => n + p.mismatches, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    problems: parts.flatMap((p) => p.problems.map((problem) => `(${p.what}): ${problem}`)),
  };
}

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void shutdown().finally(() => process.exit(130));
  });
}

let code = 1;
try {
  code = await main();
} catch (err) {
  log(`benchmark failed: ${(err as Error).stack ?? err}`);
} finally {
  await stopAll();
}
process.exit(code);
