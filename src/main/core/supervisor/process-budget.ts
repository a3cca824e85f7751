/**
 * How many server processes may run at once (TRANSPORT_MAX_PROCESSES / maxProcesses). Shared by every
 * supervisor of an engine, so restarts and per-session children count against the same limit.
 */
export class ProcessBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes a slot; returns a release function, or null when the limit is reached. */
  acquire(): (() => void) | null {
    if (this.used >= this.limit) return null;
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
    };
  }
}
