import type { OversizedLine } from '../protocol/line-framer.js';
import { Listeners } from '../util/listeners.js';
import type { Logger } from '../util/logger.js';
import type { ChildRegistry } from './child-registry.js';
import { SpawnError } from './command-resolver.js';
import type { ProcessBudget } from './process-budget.js';
import { RestartPolicy, defaultRestartPolicy, type RestartPolicyOptions } from './restart-policy.js';
import { StdioProcess, defaultStdioLimits, type ExitInfo, type StdioLimits, type StdioSpec } from './stdio-process.js';

/** `degraded`: running, but not answering health pings. */
export type ServerState = 'stopped' | 'starting' | 'running' | 'degraded' | 'stopping' | 'backoff' | 'failed';

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
  logger: Logger;
  budget?: ProcessBudget;
  registry?: ChildRegistry;
}

/** What the supervisor needs from the protocol layer: a handshake and a sink for what the child says. */
export interface SupervisedPeer {
  handshake(): Promise<void>;
  onMessage(line: string): void;
  onOversized(info: OversizedLine): void;
  onExit(reason: string): void;
}

const STDERR_TAIL = 20;

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
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.peer ? this.peer.handshake() : Promise.resolve(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer to initialize within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (err) {
      if (this.current !== proc || !proc.alive) return; // the exit handler has already dealt with it
      this.options.logger.warn(`handshake failed: ${(err as Error).message}`, { server: this.name });
      this.current = null;
      await proc.stop();
      this.onFailure(`handshake failed: ${(err as Error).message}`);
      return;
    } finally {
      clearTimeout(timer);
    }
    if (this.current !== proc) return;
    this.upSince = Date.now();
    this.setState('running', 'initialize answered');
    this.settleStart();
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
      const { enabled, maxFailures, failureWindowMs } = this.policy.options;
      const why = enabled
        ? `${reason}; ${maxFailures} failures within ${failureWindowMs / 1000} s, not restarting until started again`
        : `${reason}; restart is off`;
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
    this._state = { server: this.name, state, reason, at: Date.now(), ...extra };
    this.stateChanges.emit(this._state);
  }
}
