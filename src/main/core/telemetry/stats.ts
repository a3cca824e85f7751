import type { ServerState } from '../supervisor/server-supervisor.js';
import type { ProcessUsage } from './process-sampler.js';
import { RollingPercentiles } from './rolling-percentiles.js';

/**
 * Plain counters the hot path bumps. They are published to prom-client only when someone scrapes: a prom-client
 * `inc` hashes its labels on every call (~200 ns), a field increment costs next to nothing, and the dashboard's
 * snapshot reads these same fields.
 */
export class TrafficCounts {
  messagesUp = 0;
  messagesDown = 0;
  bytesUp = 0;
  bytesDown = 0;
  /** Responses from the server carrying `error`. */
  errors = 0;

  add(other: TrafficCounts): void {
    this.messagesUp += other.messagesUp;
    this.messagesDown += other.messagesDown;
    this.bytesUp += other.bytesUp;
    this.bytesDown += other.bytesDown;
    this.errors += other.errors;
  }
}

/** 0.1 ms … 60 s: a cached `tools/list` answers in microseconds, a tool that drives a browser takes a minute. */
export const LATENCY_BUCKETS_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

export class MethodStats {
  requests = 0;
  errors = 0;
  /** Built once: the exporter publishes under these, and the hot path must not allocate a label object per frame. */
  readonly labels: { server: string; method: string };
  /**
   * The latency histogram, counted here and published at scrape time like the counters: prom-client's `observe`
   * hashes its labels and allocates on every call, 2.5 µs a response inside the gateway. `latencyCounts[i]` counts
   * the responses in bucket i alone (not cumulative); the last slot is +Inf.
   */
  readonly latencyCounts = new Float64Array(LATENCY_BUCKETS_SECONDS.length + 1);
  latencySumSeconds = 0;
  latencyCount = 0;

  constructor(server: string, method: string) {
    this.labels = { server, method };
  }

  observeLatency(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_SECONDS.length && seconds > LATENCY_BUCKETS_SECONDS[i]!) i++;
    this.latencyCounts[i]!++;
    this.latencySumSeconds += seconds;
    this.latencyCount++;
  }
}

export class SessionStats extends TrafficCounts {
  lastSeen = 0;

  constructor(
    readonly id: string,
    readonly server: ServerStats,
    /** False: one of the sessions beyond the series cap, published as part of session="other". */
    readonly ownSeries: boolean,
    public clientName: string | undefined,
  ) {
    super();
  }
}

/** Method names come from clients; past this many per server, the rest share method="other". */
export const OTHER = 'other';

export class ServerStats extends TrafficCounts {
  /** Requests sent to the server (clients' and Switchboard's own). */
  requests = 0;
  inflight = 0;
  restarts = 0;
  state: ServerState | 'unknown' = 'unknown';
  runningSince: number | null = null;
  pids: number[] = [];
  /** CPU time of the server's process group, summed across restarts so the counter never goes back. */
  cpuSecondsTotal = 0;
  cpuPercent: number | null = null;
  rssBytes: number | null = null;
  rps = 0;
  readonly latency = new RollingPercentiles();
  readonly methods = new Map<string, MethodStats>();
  /** What sessions folded into session="other" sent before they closed, so "other" never counts backwards. */
  readonly otherClosed = new TrafficCounts();
  private requestsAtTick = 0;
  private tickAt = 0;
  /** CPU seconds per pid at the previous sample. */
  private lastCpu = new Map<number, number>();
  private lastSampleAt: number | null = null;

  constructor(
    readonly name: string,
    private readonly maxMethods: number,
  ) {
    super();
  }

  method(name = 'unknown'): MethodStats {
    const found = this.methods.get(name);
    if (found) return found;
    const key = this.methods.size < this.maxMethods ? name : OTHER;
    let stats = this.methods.get(key);
    if (!stats) {
      stats = new MethodStats(this.name, key);
      this.methods.set(key, stats);
    }
    return stats;
  }

  /** Running, or running but failing health checks: the process is up and initialized. */
  get isUp(): boolean {
    return this.state === 'running' || this.state === 'degraded';
  }

  uptimeSeconds(now: number): number | null {
    return this.runningSince === null ? null : Math.max(0, (now - this.runningSince) / 1000);
  }

  /** Requests per second since the previous tick. */
  tick(now: number): void {
    if (this.tickAt > 0 && now > this.tickAt)
      this.rps = ((this.requests - this.requestsAtTick) * 1000) / (now - this.tickAt);
    this.requestsAtTick = this.requests;
    this.tickAt = now;
  }

  /**
   * A CPU and memory sample of the server's process groups (one per child: a per-session server has several).
   * `usage` lacks a pid when it could not be sampled (not Linux, or it just exited).
   */
  sampled(pids: readonly number[], usage: ReadonlyMap<number, ProcessUsage>, now: number): void {
    this.pids = [...pids];
    const interval = this.lastSampleAt === null ? 0 : now - this.lastSampleAt;
    const next = new Map<number, number>();
    let rss = 0;
    let delta = 0;
    let timed = false;
    for (const pid of pids) {
      const u = usage.get(pid);
      if (!u) continue;
      rss += u.rssBytes;
      const last = this.lastCpu.get(pid);
      if (last !== undefined && interval > 0) {
        // A process leaving the group can make the sum drop; that is not negative CPU.
        const d = Math.max(0, u.cpuSeconds - last);
        delta += d;
        timed = true;
      } else {
        // A child not seen before: all its CPU so far is new to the counter, but it has no interval yet.
        this.cpuSecondsTotal += u.cpuSeconds;
      }
      next.set(pid, u.cpuSeconds);
    }
    this.cpuSecondsTotal += delta;
    this.lastCpu = next;
    this.lastSampleAt = now;
    this.rssBytes = next.size > 0 ? rss : null;
    this.cpuPercent = timed ? (delta * 100_000) / interval : null;
  }
}
