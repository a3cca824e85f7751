import type { Logger } from '../util/logger.js';
import type { ServerSupervisor } from './server-supervisor.js';

export interface HealthCheckOptions {
  /** 0 turns pings off. */
  intervalMs: number;
  timeoutMs: number;
  /** Missed pings in a row before the process is restarted (the first miss marks it degraded). */
  missesBeforeRestart: number;
}

export const defaultHealthCheck: HealthCheckOptions = { intervalMs: 30_000, timeoutMs: 10_000, missesBeforeRestart: 2 };

/**
 * Pings a running server periodically. A process can be alive and still stuck (a deadlock, a blocked event
 * loop); only an answer proves it serves. One miss: `degraded`; more in a row: restarted like a crash.
 */
export class HealthCheck {
  private timer: NodeJS.Timeout | null = null;
  private misses = 0;
  private busy = false;

  constructor(
    private readonly supervisor: ServerSupervisor,
    private readonly ping: (timeoutMs: number) => Promise<unknown>,
    private readonly options: HealthCheckOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async check(): Promise<void> {
    const { state } = this.supervisor.state;
    if (this.busy || (state !== 'running' && state !== 'degraded')) return;
    this.busy = true;
    const started = Date.now();
    try {
      await this.ping(this.options.timeoutMs);
      this.misses = 0;
      this.supervisor.markHealthy();
    } catch (err) {
      if (this.supervisor.state.state !== 'running' && this.supervisor.state.state !== 'degraded') return;
      this.misses++;
      const why = `no answer to ping within ${Date.now() - started} ms (${(err as Error).message}); ${this.misses} missed in a row`;
      this.logger.warn(why, { server: this.supervisor.name });
      if (this.misses >= this.options.missesBeforeRestart) {
        this.misses = 0;
        await this.supervisor.recycle(`stopped answering pings: ${why}`);
      } else this.supervisor.markDegraded(why);
    } finally {
      this.busy = false;
    }
  }
}
