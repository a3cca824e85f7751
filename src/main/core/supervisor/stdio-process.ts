import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { LineFramer, type OversizedLine } from '../protocol/line-framer.js';
import { PEEK_MIN_BYTES } from '../protocol/response-peek.js';
import { buildChildEnv } from './child-env.js';
import { SpawnError, resolveCommand } from './command-resolver.js';
import { unwrapWindowsShim } from './spawn-doctor.js';
import { signalGroup, waitForGroupExit } from './process-group.js';

export interface StdioSpec {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  passEnvironment?: boolean;
}

export interface StdioLimits {
  maxLineBytes: number;
  /** Bytes queued for the child's stdin before `send` refuses more (the child is not reading). */
  maxPendingWriteBytes: number;
  /** Waits of the stop sequence: after closing stdin, then after SIGTERM. */
  stdinGraceMs: number;
  termGraceMs: number;
}

export const defaultStdioLimits: StdioLimits = {
  maxLineBytes: 32 * 1024 * 1024,
  maxPendingWriteBytes: 64 * 1024 * 1024,
  stdinGraceMs: 2000,
  termGraceMs: 3000,
};

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when Switchboard asked the process to stop. */
  requested: boolean;
}

export interface StdioEvents {
  message(line: string): void;
  /** A line of PEEK_MIN_BYTES or more, as bytes, before it is decoded; false to have it decoded for `message`. */
  largeMessage?(bytes: Buffer): boolean;
  oversized(info: OversizedLine): void;
  stderr(line: string): void;
  exit(info: ExitInfo): void;
}

/**
 * One child process speaking newline-delimited JSON-RPC on stdio: spawned without a shell in its own process
 * group, with an allowlisted environment. Stopping is one sequence, written once: close stdin, wait, SIGTERM the
 * group, wait, SIGKILL the group.
 */
export class StdioProcess {
  private readonly child: ChildProcess;
  private exited = false;
  private stopRequested = false;
  private readonly exitPromise: Promise<void>;
  readonly pid: number;

  constructor(spec: StdioSpec, limits: StdioLimits, events: StdioEvents) {
    const env = buildChildEnv({ declared: spec.env, passEnvironment: spec.passEnvironment });
    let file = resolveCommand(spec.command, env, spec.cwd);
    let args = spec.args ?? [];
    if (process.platform === 'win32') {
      const shim = unwrapWindowsShim(file);
      if (shim) [file, args] = [shim.file, [...shim.prefixArgs, ...args]];
      else if (/\.(cmd|bat)$/i.test(file)) {
        throw new SpawnError(
          'not_executable',
          `\`${file}\` is a batch file, which only runs through a shell; use the program it wraps as the command`,
        );
      }
    }
    this.child = spawn(file, args, {
      cwd: spec.cwd,
      env,
      shell: false,
      detached: process.platform !== 'win32', // own process group, so a stop reaches grandchildren too
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    // spawn reports ENOENT/EACCES asynchronously (pid undefined); resolveCommand has caught the usual causes.
    this.pid = this.child.pid ?? -1;

    const framer = new LineFramer(
      limits.maxLineBytes,
      { line: events.message, oversized: events.oversized, large: events.largeMessage },
      PEEK_MIN_BYTES,
    );
    this.child.stdout!.on('data', (chunk: Buffer) => framer.push(chunk));
    const stderrFramer = new LineFramer(64 * 1024, {
      line: events.stderr,
      oversized: (info) => events.stderr(`${info.head}… (${info.size} bytes, cut)`),
    });
    this.child.stderr!.on('data', (chunk: Buffer) => stderrFramer.push(chunk));
    // A dead child's stdin raises EPIPE on write; the exit handler reports the failure, so swallow it here.
    this.child.stdin!.on('error', () => {});
    // A spawn that fails (EACCES, a race with a deleted file) emits 'error' and never 'exit'.
    const spawnFailed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      this.child.once('error', (err) => {
        events.stderr(`[switchboard] process error: ${err.message}`);
        if (this.child.pid === undefined) resolve([null, null]);
      }),
    );
    const exited = once(this.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    this.exitPromise = Promise.race([exited, spawnFailed]).then(([code, signal]) => {
      this.exited = true;
      events.exit({ code, signal, requested: this.stopRequested });
    });
    this.pendingLimit = limits.maxPendingWriteBytes;
    this.limits = limits;
  }

  private readonly pendingLimit: number;
  private readonly limits: StdioLimits;

  get alive(): boolean {
    return !this.exited;
  }

  /** Writes one framed message. Returns false when the child is gone or not reading its input. */
  send(line: string): boolean {
    const stdin = this.child.stdin!;
    if (this.exited || !stdin.writable || stdin.writableLength > this.pendingLimit) return false;
    // Messages written in one event-loop turn leave in one write(2): measured (docs/benchmarks.md), the per-message
    // system call was a quarter of the gateway's CPU under load. The flush comes before the loop sleeps again.
    if (!this.corked) {
      this.corked = true;
      stdin.cork();
      setImmediate(this.uncork);
    }
    stdin.write(line + '\n');
    return true;
  }

  private corked = false;
  private readonly uncork = () => {
    this.corked = false;
    this.child.stdin!.uncork();
  };

  /** Stops the process and everything in its group; resolves when they are gone. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    const pgid = this.pid;
    if (pgid <= 0) return;
    this.child.stdin!.end();
    const exitedOnEof = await Promise.race([
      this.exitPromise.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), this.limits.stdinGraceMs).unref()),
    ]);
    // Even when the leader left on EOF, its group may hold grandchildren: the group is what we must empty.
    if (exitedOnEof && (await waitForGroupExit(pgid, 0))) return;
    signalGroup(pgid, 'SIGTERM');
    if (await waitForGroupExit(pgid, this.limits.termGraceMs)) return void (await this.exitPromise);
    signalGroup(pgid, 'SIGKILL');
    await waitForGroupExit(pgid, 2000);
    await this.exitPromise;
  }

  /** After the leader exited on its own: end what is left of its group (grandchildren) the same way. */
  async reapGroup(): Promise<void> {
    if (this.pid <= 0 || (await waitForGroupExit(this.pid, 0))) return; // group already empty
    signalGroup(this.pid, 'SIGTERM');
    if (!(await waitForGroupExit(this.pid, this.limits.termGraceMs))) signalGroup(this.pid, 'SIGKILL');
  }

  /** Last resort at process exit: no waiting, the whole group gets SIGKILL. */
  killNow(): void {
    if (this.pid > 0) signalGroup(this.pid, 'SIGKILL');
  }
}
