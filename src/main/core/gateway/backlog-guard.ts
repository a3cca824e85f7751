/** How far past the limit a burst may go, however briefly: the memory bound per connection. */
export const HARD_LIMIT_FACTOR = 2;

/**
 * Tells a slow consumer from a burst. A reader that keeps up can still be handed more than the limit in one turn
 * of the event loop (a child's stdout is read in chunks of up to 2 MB), and drains it in milliseconds. A
 * connection is cut off when its send buffer is still over the limit `graceMs` after it first went over, or at
 * once when it goes over HARD_LIMIT_FACTOR times the limit: memory stays bounded either way (RELIABILITY R6).
 */
export class BacklogGuard {
  private timer: NodeJS.Timeout | null = null;
  private tripped = false;

  constructor(
    private readonly limitBytes: number,
    private readonly graceMs: number,
    private readonly buffered: () => number,
    private readonly onOverflow: () => void,
  ) {}

  /** Call after each write. */
  check(): void {
    if (this.tripped) return;
    const bytes = this.buffered();
    if (bytes > this.limitBytes * HARD_LIMIT_FACTOR) return this.trip();
    if (bytes <= this.limitBytes || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.buffered() > this.limitBytes) this.trip();
    }, this.graceMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private trip(): void {
    this.tripped = true;
    this.stop();
    this.onOverflow();
  }
}
