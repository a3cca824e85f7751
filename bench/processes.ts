/**
 * Every process the benchmark starts goes through here, so all of them are stopped at the end, on an error, on
 * Ctrl-C, and (with SIGKILL, synchronously) when the benchmark process exits for any other reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childrenOf, commandLine, isAlive } from './procfs.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixturePath = path.join(repoRoot, 'test/fixtures/fixture-server.mjs');

interface Tracked {
  child: ChildProcess;
  /** Process groups this process made that must go with it (the gateway runs its server in its own group). */
  groups: number[];
}

const tracked = new Set<Tracked>();
let shuttingDown = false;

function refuseWhenShuttingDown(): void {
  if (shuttingDown) throw new Error('the benchmark is stopping: no new processes');
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Synchronous last resort: SIGKILL whatever is left. Safe to call more than once. */
export function killAllNow(): void {
  for (const t of tracked) {
    if (!exited(t.child) && t.child.pid) {
      try {
        process.kill(t.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const g of t.groups) killGroup(g);
  }
  tracked.clear();
}

/** Stops one process: SIGTERM (or closing stdin), a grace period, then SIGKILL; then its groups. */
async function stopTracked(t: Tracked, graceMs = 8000): Promise<void> {
  const { child } = t;
  if (!exited(child)) {
    const gone = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([gone, timer])) === 'timeout') {
      child.kill('SIGKILL');
      await gone;
    }
  }
  // The gateway closes its server's stdin and waits for it; if the gateway had to be killed, the group may be left.
  for (const g of t.groups) if (isAlive(g)) killGroup(g);
  tracked.delete(t);
}

/** Stops everything, and refuses to start anything new from now on (a signal arrived mid-run). */
export async function shutdown(): Promise<void> {
  shuttingDown = true;
  await stopAll();
}

export async function stopAll(): Promise<void> {
  await Promise.all([...tracked].map((t) => stopTracked(t)));
}

/** Keeps the last lines a process wrote on a stream, for error messages. */
function tail(stream: NodeJS.ReadableStream | null, lines: string[], onLine?: (line: string) => void): void {
  if (!stream) return;
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      if (lines.length > 40) lines.shift();
      onLine?.(line);
    }
  });
}

export interface FixtureProcess {
  child: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** The echo fixture, spawned by the benchmark itself for the direct stdio baseline. */
export function spawnFixture(): FixtureProcess {
  refuseWhenShuttingDown();
  const child = spawn(process.execPath, [fixturePath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const t: Tracked = { child, groups: [] };
  tracked.add(t);
  tail(child.stderr, []);
  if (!child.pid) throw new Error('could not start the fixture server');
  return { child, pid: child.pid, stop: () => stopTracked(t) };
}

/**
 * A bearer token for a benchmark gateway. Hex, not base64url: a token starting with '-' would be read as an option
 * by the CLI parser (`--token -abc…`), and the gateway would refuse to start.
 */
export const newToken = () => randomBytes(18).toString('hex');

export interface GatewayProcess {
  url: string;
  token: string;
  name: string;
  /** The gateway's own node process (bin/switchboard runs the CLI in-process through tsx; no wrapper). */
  pid: number;
  /** The stdio server the gateway runs. */
  serverPid: number;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  token: string;
  name: string;
  /** Directory for a V8 CPU profile of the gateway (launched as `node --cpu-prof --import tsx cli.ts`). */
  cpuProfDir?: string;
  /**
   * Run `serve` (registry, store, metrics, traffic recorder) instead of `run`, with the fixture as its one server:
   * what the same calls cost with all telemetry on.
   */
  telemetry?: boolean;
  /**
   * Changes to the gateway's environment (inherited from the benchmark otherwise); `undefined` removes a variable,
   * e.g. `{ SWITCHBOARD_V8_DEFAULTS: '1' }` for the cold phase's comparison, `{ SWITCHBOARD_V8_DEFAULTS: undefined }`
   * so that a value in the caller's shell cannot turn the tuned run into the default one.
   */
  env?: Record<string, string | undefined>;
}

/** Spawns a node process and waits for its "listening on http://…" line on stdout. */
async function spawnListening(
  args: string[],
  what: string,
  env?: Record<string, string | undefined>,
): Promise<{ t: Tracked; url: string; describe: () => string }> {
  refuseWhenShuttingDown();
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // spawn() leaves out variables whose value is undefined.
    env: env ? { ...process.env, ...env } : process.env,
  });
  const t: Tracked = { child, groups: [] };
  tracked.add(t);
  const stderr: string[] = [];
  tail(child.stderr, stderr);
  const describe = () => (stderr.length ? `\n${stderr.join('\n')}` : '');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${what} printed no banner within 30 s${describe()}`)), 30_000);
    tail(child.stdout, [], (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the ${what} exited (${code ?? signal}) before listening${describe()}`));
    });
  }).catch(async (err) => {
    await stopTracked(t);
    throw err;
  });
  return { t, url, describe };
}

export interface FloorServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The bare node:http reference server (bench/http-floor-server.mjs). */
export async function startFloorServer(): Promise<FloorServer> {
  const { t, url } = await spawnListening([path.join(repoRoot, 'bench/http-floor-server.mjs')], 'HTTP floor server');
  return { url, pid: t.child.pid!, stop: () => stopTracked(t) };
}

export async function startGateway(options: GatewayOptions): Promise<GatewayProcess> {
  let cli = ['run', '--port', '0', '--token', options.token, '--name', options.name, '--log-level', 'warn'];
  let server = ['--', process.execPath, fixturePath];
  if (options.telemetry) {
    const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-'));
    const config = path.join(dir, 'servers.json');
    writeFileSync(
      config,
      JSON.stringify({ mcpServers: { [options.name]: { command: process.execPath, args: [fixturePath] } } }),
    );
    cli = ['serve', '--config', config, '--data-dir', path.join(dir, 'data'), '--port', '0', '--token', options.token];
    cli.push('--log-level', 'warn');
    server = [];
  }
  const args = options.cpuProfDir
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        options.cpuProfDir,
        '--import',
        'tsx',
        path.join(repoRoot, 'src/main/headless/cli.ts'),
        ...cli,
        ...server,
      ]
    : [path.join(repoRoot, 'bin/switchboard'), ...cli, ...server];
  const { t, url, describe } = await spawnListening(args, 'gateway', options.env);
  const child = t.child;

  // The banner comes before the server is spawned; wait for the gateway's child to appear.
  const pid = child.pid!;
  let serverPid = 0;
  for (let i = 0; i < 200 && !serverPid; i++) {
    // Match on the command line: tsx may have a helper child (esbuild) of its own at this point.
    serverPid = childrenOf(pid).find((c) => commandLine(c).includes(fixturePath)) ?? 0;
    if (!serverPid) await new Promise((r) => setTimeout(r, 50));
  }
  if (!serverPid) {
    await stopTracked(t);
    throw new Error(`the gateway started no server process${describe()}`);
  }
  t.groups.push(serverPid); // spawned detached: its pid is its process group id
  return { url, token: options.token, name: options.name, pid, serverPid, stop: () => stopTracked(t) };
}
