import type { ServerState } from '../../../shared/app-views.js';
import type { OversizedLine } from '../protocol/line-framer.js';
import { Listeners } from '../util/listeners.js';
import type { Logger } from '../util/logger.js';
import type { ChildRegistry } from './child-registry.js';
import { SpawnError } from './command-resolver.js';
import { DEFAULT_INSTALL_TIMEOUT_MS, duration, installReason, installingMessage } from './install-allowance.js';
import type { ProcessBudget } from './process-budget.js';
import { RestartPolicy, defaultRestartPolicy, type RestartPolicyOptions } from './restart-policy.js';
import { StdioProcess, defaultStdioLimits, type ExitInfo, type StdioLimits, type StdioSpec } from './stdio-process.js';

/** One set of states for the supervisor and the dashboard: see shared/app-views.ts. */
export type { ServerState };

export interface StateChange {
  server: string;
  state: ServerState;
  reason: string;
  at: number;
  exit?: Omit<ExitInfo, 'requested'>;
  /** The last stderr lines, when the change was a failure. */
  stderrTail?: string[];
}

export interface SupervisorOptions {
  name: string;
  spec: StdioSpec;
  limits?: Partial<StdioLimits>;
  restart?: Partial<RestartPolicyOptions>;
  /** "Started" means the handshake finished within this time. */
  handshakeTimeoutMs?: number;
  /** The whole allowance of a start that is installing (see `ServerState`); 5 min by default. */
  installTimeoutMs?: number;
  logger: Logger;
  budget?: ProcessBudget;
  registry?: ChildRegistry;
}

/** What the supervisor needs from the protocol layer: a handshake and a sink for what the child says. */
export interface SupervisedPeer {
  /**
   * Sends `initialize` and waits for its answer. `timeoutMs` is the longest the supervisor may wait (the install
   * allowance): the peer must not time the request out sooner, the supervisor's own timers decide.
   */
  handshake(timeoutMs: number): Promise<void>;
  onMessage(line: string): void;
  /** A line of 64 KiB or more, as bytes; false to have it decoded and given to onMessage. */
  onLargeMessage?(bytes: Buffer): boolean;
  onOversized(info: OversizedLine): void;
  onExit(reason: string): void;
}

const STDERR_TAIL = 20;
/** While installing, the state (with its stderr tail) is re-sent at most this often as progress lines arrive. */
const INSTALL_PROGRESS_MS = 250;

function describeExit(exit: ExitInfo): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Runs one server's process through its lifecycle: start, handshake, restart with backoff, stop. */
export class ServerSupervisor {
  readonly stateChanges = new Listeners<StateChange>();
  readonly stderr = new Listeners<string>();
  private current: StdioProcess | null = null;
  private peer: SupervisedPeer | null = null;
  private _state: StateChange;
  private readonly policy: RestartPolicy;
  private readonly limits: StdioLimits;
  private readonly stderrTail: string[] = [];
  private backoffTimer: NodeJS.Timeout | null = null;
  private upSince: number | null = null;
  private startWaiters: Array<{ resolve(): void; reject(err: Error): void }> = [];
  /** A handshake has succeeded once: a package runner's later starts get the ordinary timeout. */
  private everRan = false;
  private spawns = 0;
  private stderrSinceSpawn = 0;
  /** Why the current start is installing, while it is. */
  private installing: { why: string; timeoutMs: number } | null = null;
  private progressTimer: NodeJS.Timeout | null = null;
  private _settled = false;

  constructor(private readonly options: SupervisorOptions) {
    this.policy = new RestartPolicy({ ...defaultRestartPolicy, ...options.restart });
    this.limits = { ...defaultStdioLimits, ...options.limits };
    this._state = { server: options.name, state: 'stopped', reason: 'not started', at: Date.now() };
  }

  get name(): string {
    return this.options.name;
  }

  get state(): StateChange {
    return this._state;
  }

  get pid(): number | null {
    return this.current?.alive ? this.current.pid : null;
  }

  /**
   * The first start has an outcome: running, failed, installing (a long wait, reported as such) or stopped by
   * request. It stays true through later restarts, so readiness does not flap when one server restarts.
   */
  get settled(): boolean {
    return this._settled;
  }

  /** When the current process became running, for uptime. */
  get runningSince(): number | null {
    return this.upSince;
  }

  attach(peer: SupervisedPeer): void {
    this.peer = peer;
  }

  /** Sends one line to the running child; false when there is none or it is not reading. */
  send(line: string): boolean {
    return this.current?.send(line) ?? false;
  }

  /** Starts the server (a user's start also closes an open circuit breaker); resolves once it is running. */
  start(): Promise<void> {
    if (this.isUp) return Promise.resolve();
    const waiting = new Promise<void>((resolve, reject) => this.startWaiters.push({ resolve, reject }));
    if (['stopped', 'failed', 'backoff'].includes(this._state.state)) {
      this.policy.reset();
      this.clearBackoff();
      void this.spawnOnce('start requested');
    }
    return waiting;
  }

  /** Waits for `running` without starting anything; rejects if the server is stopped or fails. */
  whenRunning(): Promise<void> {
    const { state, reason } = this._state;
    if (this.isUp) return Promise.resolve();
    if (state === 'stopped' || state === 'stopping' || state === 'failed')
      return Promise.reject(new Error(`server '${this.name}' is ${state}: ${reason}`));
    return new Promise<void>((resolve, reject) => this.startWaiters.push({ resolve, reject }));
  }

  async stop(reason = 'stop requested'): Promise<void> {
    this.clearBackoff();
    this._settled = true;
    const proc = this.current;
    if (!proc) {
      if (this._state.state !== 'failed') this.setState('stopped', reason);
      this.settleStart(new Error(`server '${this.name}' was stopped`));
      return;
    }
    this.setState('stopping', reason);
    await proc.stop();
    this.setState('stopped', reason);
    this.settleStart(new Error(`server '${this.name}' was stopped`));
  }

  async restart(): Promise<void> {
    await this.stop('restart requested');
    await this.start();
  }

  /** Health checks: the server stopped answering, but its process is alive. */
  markDegraded(reason: string): void {
    if (this.isUp) this.setState('degraded', reason);
  }

  markHealthy(): void {
    if (this._state.state === 'degraded') this.setState('running', 'answering again');
  }

  /** Ends an unhealthy process and lets the restart policy bring up a new one, as after a crash. */
  async recycle(reason: string): Promise<void> {
    const proc = this.current;
    if (!proc || !this.isUp) return;
    this.current = null;
    this.setState('stopping', reason);
    await proc.stop();
    this.onFailure(reason);
  }

  /** Synchronous last resort for process exit. */
  killNow(): void {
    this.current?.killNow();
  }

  private get isUp(): boolean {
    return this._state.state === 'running' || this._state.state === 'degraded';
  }

  private async spawnOnce(reason: string): Promise<void> {
    this.spawns++;
    this.stderrSinceSpawn = 0;
    this.setState('starting', reason);
    const release = this.options.budget ? this.options.budget.acquire() : () => {};
    if (!release) {
      const budget = this.options.budget!;
      const why = `${budget.inUse} server processes are running and the limit is ${budget.limit} (TRANSPORT_MAX_PROCESSES / maxProcesses): stop one or raise the limit`;
      this.setState('failed', why);
      this.settleStart(new Error(why));
      return;
    }
    let proc: StdioProcess;
    try {
      proc = new StdioProcess(this.options.spec, this.limits, {
        message: (line) => this.peer?.onMessage(line),
        largeMessage: (bytes) => this.peer?.onLargeMessage?.(bytes) ?? false,
        oversized: (info) => this.peer?.onOversized(info),
        stderr: (line) => this.onStderr(line),
        exit: (exit) => {
          release();
          this.onExit(proc, exit);
        },
      });
    } catch (err) {
      release();
      // A command that cannot be found will not appear by retrying: fail at once, with the reason.
      const message = err instanceof SpawnError ? err.message : `could not start: ${(err as Error).message}`;
      this.setState('failed', message);
      this.settleStart(new Error(message));
      return;
    }
    this.current = proc;
    if (proc.pid > 0) this.options.registry?.add(this.name, proc.pid);
    this.options.logger.info(`started ${this.options.spec.command}`, { server: this.name, pid: proc.pid });
    await this.handshake(proc);
  }

  private async handshake(proc: StdioProcess): Promise<void> {
    const timeoutMs = this.options.handshakeTimeoutMs ?? 10_000;
    const installMs = Math.max(timeoutMs, this.options.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS);
    const firstStart = this.spawns === 1;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        (this.peer ? this.peer.handshake(installMs) : Promise.resolve()).then(resolve, reject);
        timer = setTimeout(() => {
          const { command, args } = this.options.spec;
          const facts = { everRan: this.everRan, firstStart, stderrLines: this.stderrSinceSpawn };
          const why = this.current === proc ? installReason(command, args ?? [], facts) : null;
          if (!why) return reject(new Error(`no answer to initialize within ${duration(timeoutMs)}`));
          // Killing an install half-way only makes the next start install again: give it the long allowance.
          this.installing = { why, timeoutMs: installMs };
          this.setInstalling();
          timer = setTimeout(
            () => reject(new Error(`no answer to initialize within ${duration(installMs)} (installing: ${why})`)),
            installMs - timeoutMs,
          );
        }, timeoutMs);
      });
    } catch (err) {
      this.installing = null;
      if (this.current !== proc || !proc.alive) return; // the exit handler has already dealt with it
      this.options.logger.warn(`handshake failed: ${(err as Error).message}`, { server: this.name });
      this.current = null;
      await proc.stop();
      this.onFailure(`handshake failed: ${(err as Error).message}`);
      return;
    } finally {
      clearTimeout(timer);
    }
    this.installing = null;
    if (this.current !== proc) return;
    this.everRan = true;
    this.upSince = Date.now();
    this.setState('running', 'initialize answered');
    this.settleStart();
  }

  private setInstalling(): void {
    if (!this.installing) return;
    const { why, timeoutMs } = this.installing;
    const reason = installingMessage(why, timeoutMs, this.stderrTail.at(-1));
    this.setState('installing', reason, { stderrTail: [...this.stderrTail] });
  }

  private onExit(proc: StdioProcess, exit: ExitInfo): void {
    if (proc.pid > 0) this.options.registry?.remove(proc.pid);
    const reason = describeExit(exit);
    this.peer?.onExit(`server '${this.name}' ${reason}`);
    if (this.current !== proc) return;
    this.current = null;
    if (exit.requested) return; // stop() sets the state
    void proc.reapGroup();
    this.options.logger.warn(`process ${reason}`, { server: this.name });
    this.onFailure(reason, exit);
  }

  private onFailure(reason: string, exit?: ExitInfo): void {
    const now = Date.now();
    const delay = this.policy.onFailure(now, this.upSince);
    this.upSince = null;
    const details = { exit: exit && { code: exit.code, signal: exit.signal }, stderrTail: [...this.stderrTail] };
    if (delay === null) {
      const { maxFailures, failureWindowMs, maxFailedStarts } = this.policy.options;
      const cause = this.policy.cause;
      const why =
        cause === 'disabled'
          ? `${reason}; restart is off`
          : cause === 'failed-starts'
            ? `${reason}; ${maxFailedStarts} starts in a row failed, not restarting until started again`
            : `${reason}; ${maxFailures} failures within ${failureWindowMs / 1000} s, not restarting until started again`;
      this.setState('failed', why, details);
      this.settleStart(new Error(why));
      return;
    }
    this.setState('backoff', `${reason}; restarting in ${delay} ms`, details);
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = null;
      void this.spawnOnce(`restart after: ${reason}`);
    }, delay);
  }

  private onStderr(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
    this.stderrSinceSpawn++;
    if (this._state.state === 'installing' && !this.progressTimer) {
      // Install progress is shown live, but a chatty installer must not flood state listeners.
      this.progressTimer = setTimeout(() => {
        this.progressTimer = null;
        if (this._state.state === 'installing') this.setInstalling();
      }, INSTALL_PROGRESS_MS);
      this.progressTimer.unref();
    }
    this.stderr.emit(line);
  }

  private clearBackoff(): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = null;
  }

  private settleStart(error?: Error): void {
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const w of waiters) {
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  private setState(state: ServerState, reason: string, extra: Partial<StateChange> = {}): void {
    if (state === 'running' || state === 'degraded' || state === 'failed' || state === 'installing') {
      this._settled = true;
    }
    this._state = { server: this.name, state, reason, at: Date.now(), ...extra };
    this.stateChanges.emit(this._state);
  }
}
