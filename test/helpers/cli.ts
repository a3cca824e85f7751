import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TransportKind } from './clients.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../bin/switchboard', import.meta.url));

/** Variables the CLI reads: removed from the inherited environment so each test says exactly what it sets. */
const CLI_VARIABLES = [
  'TRANSPORT_SSE_PORT',
  'TRANSPORT_SSE_HOST',
  'API_ACCESS_TOKEN',
  'TRANSPORT_ALLOW_ORIGINS',
  'TRANSPORT_PASS_ENV',
  'TRANSPORT_LOG_LEVEL',
  'TRANSPORT_MAX_PROCESSES',
];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliRun {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  exited: Promise<Exit>;
  /** Resolves with the first match of `pattern` in stdout; rejects at the deadline or if the CLI exits first. */
  waitForStdout(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<Exit>;
}

const running = new Set<CliRun>();

/** Runs `node bin/switchboard ...args` from the repository root. */
export function spawnCli(args: string[], env: Record<string, string> = {}): CliRun {
  // `serve` keeps a registry and a database: each run gets its own data dir unless the test names one.
  if (args[0] === 'serve' && !args.includes('--data-dir')) {
    args = [...args, '--data-dir', mkdtempSync(join(tmpdir(), 'switchboard-cli-data-'))];
  }
  const base = { ...process.env };
  for (const name of CLI_VARIABLES) delete base[name];
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const run: CliRun = {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitForStdout(pattern, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} on stdout within ${ms} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        void exited.then((e) => {
          if (!waiters.has(check)) return;
          done();
          reject(
            new Error(`the CLI exited (${e.code ?? e.signal}) before ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`),
          );
        });
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', ms = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return withDeadline(exited, ms, `the CLI to exit after ${signal}`);
    },
  };
  running.add(run);
  void exited.then(() => running.delete(run));
  return run;
}

/** For afterEach: ends any CLI a failed test left running (SIGTERM first, so it stops its children). */
export async function stopAllClis(): Promise<void> {
  await Promise.all(
    [...running].map(async (run) => {
      try {
        await run.stop('SIGTERM', 5000);
      } catch {
        run.child.kill('SIGKILL');
      }
    }),
  );
}

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The banner's base URL, once the CLI is listening. */
export async function bannerUrl(run: CliRun): Promise<string> {
  const [, url] = await run.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
  return url!;
}

/** A real SDK client on an explicit endpoint URL (…/mcp for Streamable HTTP, …/sse for legacy SSE). */
export async function connectAt(endpoint: string, kind: TransportKind, token: string | null): Promise<Client> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const url = new URL(endpoint);
  const transport =
    kind === 'streamable'
      ? new StreamableHTTPClientTransport(url, { requestInit: { headers } })
      : new SSEClientTransport(url, {
          requestInit: { headers },
          eventSourceInit: { fetch: (u, init) => fetch(u, { ...init, headers: { ...init?.headers, ...headers } }) },
        });
  const client = new Client({ name: 'cli-test', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return client;
}

export interface Health {
  status: string;
  servers: Record<string, { state: string; pid: number | null }>;
}

/** Polls /health until every listed server is running with a pid; returns the document. */
export async function waitForRunning(baseUrl: string, names: string[], ms = 15_000): Promise<Health> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const health = (await (await fetch(`${baseUrl}/health`)).json()) as Health;
      last = health;
      if (names.every((n) => health.servers[n]?.state === 'running' && typeof health.servers[n]?.pid === 'number'))
        return health;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`servers ${names.join(', ')} not running within ${ms} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** True while a process with this pid exists (a zombie counts: it has not been reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}
