/**
 * What each sharing mode costs: the fixture echo server behind one engine three times, as `shared`, `auto` (still
 * shared: echo never asks a client anything) and `per-session`. For each: how long a new session takes to get its
 * `initialize` answered (per-session: a child spawned and initialized for it), the RSS each child adds, and the
 * p50/p99 of sequential echo calls. Ratios are against `shared`, measured in the same run.
 *
 *   npm run bench:sharing             prints the table
 *   npm run bench:sharing -- --write  also writes it into docs/benchmarks.md (section "sharing")
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { Engine, defaultEngineOptions } from '../src/main/core/engine.js';
import { createLogger } from '../src/main/core/util/logger.js';
import { StreamableSession } from './clients.js';
import { writeSection } from './doc-sections.js';
import { fixturePath, repoRoot } from './processes.js';
import { machineInfo, memory } from './procfs.js';

const { values: flags } = parseArgs({
  options: {
    sessions: { type: 'string', default: '8' },
    calls: { type: 'string', default: '400' },
    write: { type: 'boolean', default: false },
  },
});
const SESSIONS = Number(flags.sessions);
const CALLS = Number(flags.calls);
const MODES = ['shared', 'auto', 'per-session'] as const;
type Mode = (typeof MODES)[number];

interface ModeResult {
  mode: Mode;
  initMs: number[];
  childRssKiB: number[];
  callUs: number[];
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function measure(mode: Mode): Promise<ModeResult> {
  const token = randomBytes(18).toString('base64url');
  const name = 'fixture';
  const engine = new Engine({
    ...defaultEngineOptions,
    port: 0,
    token,
    maxProcesses: SESSIONS + 4,
    logger: createLogger('error', () => {}),
    servers: [
      {
        name,
        command: process.execPath,
        args: [fixturePath],
        env: {},
        options: { sharing: mode, maxChildren: SESSIONS + 2 },
      },
    ],
  });
  await engine.start();
  const server = engine.servers.get(name)!;
  const before = new Set(server.pids);
  const result: ModeResult = { mode, initMs: [], childRssKiB: [], callUs: [] };
  const sessions: StreamableSession[] = [];
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const started = performance.now();
      sessions.push(await StreamableSession.open({ url: engine.url, token, name }));
      result.initMs.push(performance.now() - started);
    }
    for (const pid of server.pids) {
      if (before.has(pid) && mode !== 'shared' && mode !== 'auto') continue;
      const rss = memory(pid)?.rssKiB;
      if (rss !== undefined) result.childRssKiB.push(rss);
    }
    let id = 1;
    for (let i = 0; i < CALLS; i++) {
      const session = sessions[i % sessions.length]!;
      const started = performance.now();
      const res = await session.call(id++, `m${i}`);
      if (res.error) throw new Error(`echo failed under ${mode}: ${res.error.message}`);
      result.callUs.push((performance.now() - started) * 1000);
    }
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
    await engine.stop();
  }
  return result;
}

function table(results: ModeResult[]): string {
  const shared = results.find((r) => r.mode === 'shared')!;
  const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}×`;
  const rows = results.map((r) => {
    const init = percentile(r.initMs, 50);
    const rss = r.childRssKiB.reduce((a, b) => a + b, 0) / Math.max(1, r.childRssKiB.length);
    const p50 = percentile(r.callUs, 50);
    const p99 = percentile(r.callUs, 99);
    return (
      `| ${r.mode} | ${r.childRssKiB.length} | ${init.toFixed(1)} ms (${ratio(init, percentile(shared.initMs, 50))}) | ` +
      `${Math.round(rss / 1024)} MiB | ${Math.round(p50)} µs (${ratio(p50, percentile(shared.callUs, 50))}) | ` +
      `${Math.round(p99)} µs (${ratio(p99, percentile(shared.callUs, 99))}) |`
    );
  });
  return [
    `| mode | children for ${SESSIONS} sessions | new session's initialize, p50 | RSS per child | echo p50 | echo p99 |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

// The engine runs in this process: a first, unrecorded round warms the JIT, so the first mode is not the cold one.
process.stderr.write('warming up…\n');
await measure('shared');
const results: ModeResult[] = [];
for (const mode of MODES) {
  process.stderr.write(`measuring ${mode}…\n`);
  results.push(await measure(mode));
}
const machine = machineInfo();
const text = [
  `Sharing modes, ${SESSIONS} Streamable HTTP sessions, ${CALLS} sequential echo calls spread over them; ` +
    `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; \`npm run bench:sharing\`, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  table(results),
].join('\n');
process.stdout.write(`${text}\n`);
if (flags.write) {
  writeSection(path.join(repoRoot, 'docs/benchmarks.md'), 'sharing', `## Sharing modes\n\n${text}\n`);
  process.stderr.write('wrote docs/benchmarks.md (section "sharing")\n');
}
