/**
 * Startup of the real `bin/switchboard`, compiled (out/cli) against the TypeScript sources through tsx, in one
 * run with the two interleaved so both see the same machine: `--help` to exit, `run` and `serve` from spawn to
 * the first 200 from /health, then their resident memory and threads once idle. `node -e 0` is the floor.
 *
 *   npm run bench:startup              builds out/cli, measures, prints the table, writes docs/benchmarks.md
 *   node --import tsx bench/startup-bench.ts --runs 3 --no-doc
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeSection } from './doc-sections.js';
import { fixturePath, repoRoot } from './processes.js';
import { CLK_TCK, machineInfo } from './procfs.js';

type Runtime = 'build' | 'source';
const runtimes: Runtime[] = ['build', 'source'];
const label: Record<Runtime, string> = { build: 'compiled (out/cli)', source: 'tsx (sources)' };

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'no-doc': { type: 'boolean' },
    idle: { type: 'string', default: '2000' },
  },
});
const runs = Math.max(1, Number(values.runs));
/** How long a started host is left alone before its memory is read. */
const idleMs = Number(values.idle);
const cli = path.join(repoRoot, 'bin/switchboard');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'switchboard-startup-'));
const config = path.join(scratch, 'servers.json');
writeFileSync(config, JSON.stringify({ mcpServers: { fixture: { command: process.execPath, args: [fixturePath] } } }));

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function spawnCli(runtime: Runtime, args: string[]): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_RUNTIME: runtime };
  for (const name of ['TRANSPORT_SSE_PORT', 'API_ACCESS_TOKEN', 'TRANSPORT_LOG_LEVEL']) delete env[name];
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.once('exit', (code) => {
    live.delete(child);
    if (code !== 0 && code !== null) process.stderr.write(`switchboard ${args[0]} exited ${code}:\n${stderr}\n`);
  });
  live.add(child);
  return child;
}

/** Preloaded into a command that exits by itself: writes its own CPU time (every thread) to $CPU_FILE at exit. */
const cpuAtExit = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); " +
    'writeFileSync(process.env.CPU_FILE, String((u.user + u.system) / 1000)); });',
)}`;

/** Wall milliseconds from spawn to exit of a command that exits by itself, and the CPU milliseconds it used. */
function timeToExit(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ wallMs: number; cpuMs: number }> {
  const cpuFile = path.join(scratch, 'cpu.txt');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', cpuAtExit, ...args], {
      env: { ...env, CPU_FILE: cpuFile },
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}`));
      resolve({ wallMs, cpuMs: Number(readFileSync(cpuFile, 'utf8')) });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls /health until it answers 200 with every server running; resolves with ms since `started`. */
async function healthyAfter(port: number, started: number, child: ChildProcess): Promise<number> {
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the host exited before it was healthy');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      const body = (await res.json()) as { servers?: Record<string, { state: string }> };
      const states = Object.values(body.servers ?? {}).map((s) => s.state);
      if (res.status === 200 && states.length > 0 && states.every((s) => s === 'running'))
        return performance.now() - started;
    } catch {
      // not listening yet
    }
    // A measurement poll (not a test wait): 5 ms bounds the error of the figure.
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no healthy /health within 60 s');
}

/** CPU milliseconds a process has used so far, all threads (utime + stime in /proc/<pid>/stat). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function procStatus(pid: number): { rssMiB: number; threads: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: field('VmRSS') / 1024, threads: field('Threads') };
}

interface HostSample {
  healthyMs: number;
  cpuMs: number;
  rssMiB: number;
  threads: number;
}

async function startHost(runtime: Runtime, command: 'run' | 'serve'): Promise<HostSample> {
  const port = await freePort();
  const args =
    command === 'run'
      ? ['run', '--port', String(port), '--no-auth', '--', process.execPath, fixturePath]
      : [
          'serve',
          '--port',
          String(port),
          '--no-auth',
          '--config',
          config,
          '--data-dir',
          mkdtempSync(path.join(scratch, 'data-')),
        ];
  const started = performance.now();
  const child = spawnCli(runtime, args);
  try {
    const healthyMs = await healthyAfter(port, started, child);
    const cpuMs = cpuMsOf(child.pid!);
    await new Promise((r) => setTimeout(r, idleMs)); // idle: nothing is asked of the host while it settles
    return { healthyMs, cpuMs, ...procStatus(child.pid!) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const metrics = [
  'help',
  'helpCpu',
  'runHealthy',
  'runCpu',
  'runRss',
  'runThreads',
  'serveHealthy',
  'serveCpu',
  'serveRss',
  'serveThreads',
] as const;
type Metric = (typeof metrics)[number];
const empty = () => Object.fromEntries(metrics.map((m) => [m, [] as number[]])) as Record<Metric, number[]>;
const samples: Record<Runtime, Record<Metric, number[]>> = { build: empty(), source: empty() };
const floor: number[] = [];
const floorCpu: number[] = [];

execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
const loadBefore = os.loadavg()[0]!;
for (let i = 0; i < runs; i++) {
  const bare = await timeToExit(['-e', '0']);
  floor.push(bare.wallMs);
  floorCpu.push(bare.cpuMs);
  for (const runtime of runtimes) {
    const into = samples[runtime];
    const help = await timeToExit([cli, '--help'], { ...process.env, SWITCHBOARD_RUNTIME: runtime });
    into.help.push(help.wallMs);
    into.helpCpu.push(help.cpuMs);
    for (const command of ['run', 'serve'] as const) {
      const host = await startHost(runtime, command);
      into[`${command}Healthy`].push(host.healthyMs);
      into[`${command}Cpu`].push(host.cpuMs);
      into[`${command}Rss`].push(host.rssMiB);
      into[`${command}Threads`].push(host.threads);
    }
  }
  process.stdout.write(`run ${i + 1}/${runs} done\n`);
}
const loadAfter = os.loadavg()[0]!;

const rows: Array<{ metric: string; key: Metric; unit: 's' | 'MB' | ''; target?: number }> = [
  { metric: '`--help` to exit', key: 'help', unit: 's', target: 0.3 },
  { metric: '`--help` CPU', key: 'helpCpu', unit: 's' },
  { metric: '`run` to /health 200 (server running)', key: 'runHealthy', unit: 's', target: 1 },
  { metric: '`run` CPU until then', key: 'runCpu', unit: 's' },
  { metric: '`run` idle RSS', key: 'runRss', unit: 'MB', target: 80 },
  { metric: '`run` threads', key: 'runThreads', unit: '' },
  { metric: '`serve` to /health 200 (server running)', key: 'serveHealthy', unit: 's' },
  { metric: '`serve` CPU until then', key: 'serveCpu', unit: 's' },
  { metric: '`serve` idle RSS', key: 'serveRss', unit: 'MB', target: 100 },
  { metric: '`serve` threads', key: 'serveThreads', unit: '' },
];
const seconds = new Set<Metric>(['help', 'helpCpu', 'runHealthy', 'runCpu', 'serveHealthy', 'serveCpu']);
const value = (key: Metric, runtime: Runtime) => {
  const m = median(samples[runtime][key]);
  return seconds.has(key) ? m / 1000 : m;
};
const show = (n: number, unit: string) =>
  unit === 's' ? `${n.toFixed(2)} s` : unit === 'MB' ? `${n.toFixed(0)} MB` : `${n}`;
const lines = [
  `| measure (median of ${runs}) | ${label.build} | ${label.source} | target | met (compiled) |`,
  '| --- | ---: | ---: | ---: | --- |',
  ...rows.map(({ metric, key, unit, target }) => {
    const built = value(key, 'build');
    const met = target === undefined ? '' : built <= target ? 'yes' : `**no** (+${show(built - target, unit)})`;
    const goal = target === undefined ? '' : `≤ ${show(target, unit)}`;
    return `| ${metric} | ${show(built, unit)} | ${show(value(key, 'source'), unit)} | ${goal} | ${met} |`;
  }),
  `| \`node -e 0\` (the floor): wall, CPU | ${show(median(floor) / 1000, 's')}, ${show(median(floorCpu) / 1000, 's')} | | | |`,
];
// A quiet machine starts bare Node in well under 0.1 s; far above that, every wall time here is mostly waiting
// for a CPU, and only the CPU and memory rows compare with another run.
const busy =
  median(floor) > 150
    ? [
        '',
        `The machine was busy (bare Node took ${show(median(floor) / 1000, 's')} to start and exit): the wall times`,
        'say more about the load than about Switchboard; compare the CPU rows, the memory rows, and the two columns.',
      ]
    : [];
const m = machineInfo();
const section = [
  '## Startup: compiled runtime against tsx',
  '',
  `Command: \`npm run bench:startup\` (bench/startup-bench.ts: spawns the real bin/switchboard with`,
  '`SWITCHBOARD_RUNTIME=build` and `=source`, interleaved); ' + `${new Date().toISOString()}.`,
  `${m.cpuModel}, ${m.cores} cores, Node ${m.node}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`,
  `Memory is VmRSS of the switchboard process after ${idleMs} ms idle with one fixture server running (children`,
  'not counted); "to /health" is from spawn to the first 200 with every server `running`; CPU is user + system',
  'time of the switchboard process (all threads), which a busy machine inflates less than wall time.',
  '',
  ...lines,
  ...busy,
].join('\n');
process.stdout.write(`\n${section}\n`);
if (!values['no-doc']) writeSection(path.join(repoRoot, 'docs/benchmarks.md'), 'startup', section);
process.exit(0);
