/**
 * When to restart a server after an unexpected exit: exponential backoff with jitter, and a circuit breaker that
 * gives up (`failed`) after too many failures in a window, or too many starts in a row that never got to running,
 * until the user starts the server again.
 */
export interface RestartPolicyOptions {
  enabled: boolean;
  initialDelayMs: number;
  maxDelayMs: number;
  /** ±fraction applied to each delay, so many servers crashing together do not restart in lockstep. */
  jitter: number;
  maxFailures: number;
  failureWindowMs: number;
  /** A server that stayed up this long starts again from the initial delay. */
  resetAfterMs: number;
  /**
   * Starts in a row that failed before the server ran (handshake timeout, exit during start). The window alone
   * cannot catch these: each attempt lasts at least the handshake timeout, so 10 s timeouts plus backoff put at
   * most 4 failures in any 60 s, and a server that never starts was restarted forever.
   */
  maxFailedStarts: number;
}

/** Which rule opened the breaker, for the reason the user reads. */
export type BreakerCause = 'window' | 'failed-starts' | 'disabled';

export const defaultRestartPolicy: RestartPolicyOptions = {
  enabled: true,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 0.2,
  maxFailures: 5,
  failureWindowMs: 60_000,
  resetAfterMs: 60_000,
  maxFailedStarts: 5,
};

export class RestartPolicy {
  private failures: number[] = [];
  private attempt = 0;
  private failedStarts = 0;
  /** Why the last `onFailure` returned null. */
  cause: BreakerCause | null = null;

  constructor(
    readonly options: RestartPolicyOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Records a failure; returns the delay before the next start, or null when the breaker opens. `upSinceMs` is
   * when the failed process became running, or null when it failed while starting.
   */
  onFailure(now: number, upSinceMs: number | null): number | null {
    if (upSinceMs !== null && now - upSinceMs >= this.options.resetAfterMs) this.attempt = 0;
    this.failedStarts = upSinceMs === null ? this.failedStarts + 1 : 0;
    this.failures = this.failures.filter((t) => now - t < this.options.failureWindowMs);
    this.failures.push(now);
    this.cause = !this.options.enabled
      ? 'disabled'
      : this.failures.length >= this.options.maxFailures
        ? 'window'
        : this.failedStarts >= this.options.maxFailedStarts
          ? 'failed-starts'
          : null;
    if (this.cause) return null;
    const base = Math.min(this.options.initialDelayMs * 2 ** this.attempt, this.options.maxDelayMs);
    this.attempt++;
    return Math.round(base * (1 + this.options.jitter * (2 * this.random() - 1)));
  }

  /** The user asked for a start: forget earlier failures. */
  reset(): void {
    this.failures = [];
    this.attempt = 0;
    this.failedStarts = 0;
    this.cause = null;
  }
}
