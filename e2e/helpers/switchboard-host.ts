import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientConfigFixture, repoRoot } from './paths.js';

/** A running `switchboard serve` with its own data dir and HOME, and what it printed to reach it. */
export interface SwitchboardHost {
  /** The dashboard sign-in link: /ui/?token=… */
  dashboardUrl: string;
  /** The gateway's origin, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  token: string;
  home: string;
  /** Calls one AppApi method over the web bridge, as the dashboard does. */
  invoke<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  /** Everything the host wrote on stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface HostOptions {
  /** mcpServers to start with; default none (a first run). */
  servers?: Record<string, unknown>;
  enableTerminal?: boolean;
  /**
   * Run the host (and the servers it spawns, which inherit it) at this nice level. The perf spec uses it so a
   * two-core machine measures the page's own work rather than the page waiting for a CPU.
   */
  nice?: number;
}

/**
 * Starts the headless host the way a user would, on a free port, with HOME pointed at a temp folder that holds
 * a Claude Desktop config (so "configs found on this machine" is real and never the tester's own).
 */
export async function startHost(options: HostOptions = {}): Promise<SwitchboardHost> {
  const root = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  const home = join(root, 'home');
  const claudeDir = join(home, '.config', 'Claude');
  await mkdir(claudeDir, { recursive: true });
  await copyFile(clientConfigFixture('claude_desktop_config.json'), join(claudeDir, 'claude_desktop_config.json'));
  const configPath = join(root, 'servers.json');
  await writeFile(configPath, JSON.stringify({ mcpServers: options.servers ?? {} }, null, 2));
  const args = ['bin/switchboard', 'serve', '--config', configPath, '--port', '0', '--data-dir', join(root, 'data')];
  if (options.enableTerminal) args.push('--enable-terminal');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  for (const key of ['API_ACCESS_TOKEN', 'TRANSPORT_SSE_PORT', 'TRANSPORT_SSE_HOST']) delete env[key];
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (options.nice !== undefined && child.pid !== undefined) setPriority(child.pid, options.nice);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const dashboardUrl = await waitFor(
    child,
    () => /Dashboard: (http\S+)/.exec(output)?.[1],
    () => output,
  );
  const token =
    /Authorization: Bearer (\S+)/.exec(output)?.[1] ?? new URL(dashboardUrl).searchParams.get('token') ?? '';
  const baseUrl = new URL(dashboardUrl).origin;

  const invoke = async <T>(method: string, ...callArgs: unknown[]): Promise<T> => {
    const res = await fetch(`${baseUrl}/api/invoke/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(callArgs),
    });
    const reply = (await res.json()) as { ok: true; value: T } | { ok: false; kind: string; message: string };
    if (!reply.ok) throw new Error(`${method}: ${reply.kind}: ${reply.message}`);
    return reply.value;
  };

  return {
    dashboardUrl,
    baseUrl,
    token,
    home,
    invoke,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function waitFor(child: ChildProcess, probe: () => string | undefined, output: () => string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const value = probe();
    if (value) return value;
    if (child.exitCode !== null) throw new Error(`switchboard serve exited with ${child.exitCode}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`switchboard serve printed no dashboard URL within 30 s:\n${output()}`);
}
