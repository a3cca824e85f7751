import type { EngineLogRecord } from '../telemetry/engine-log.js';
import type { LiveBatch } from '../telemetry/live-feed.js';
import { defaultServerOf } from '../telemetry/metrics-options.js';
import type { TrafficRow } from '../telemetry/traffic-row.js';
import { cutFrame, type LintFinding } from './lint/finding.js';
import { ProtocolChecker } from './lint/protocol-checker.js';

/** A finding of the live linter, with the server it is about and the traffic row that showed it. */
export interface Problem extends LintFinding {
  server: string;
  /** The traffic row's seq (look it up in the Traffic tab); null for lines the router dropped (noise). */
  seq: number | null;
}

export interface LiveLinterSources {
  /** Recorded rows, batched about ten times a second (the traffic recorder's live feed). */
  onTrafficBatch(fn: (batch: LiveBatch<TrafficRow>) => void): () => void;
  /** The engine log's live feed: the router logs the stdout lines it drops as protocol violations. */
  onLogBatch(fn: (batch: LiveBatch<EngineLogRecord>) => void): () => void;
  /** Counts each finding (the /metrics counter). */
  count?(server: string, finding: LintFinding): void;
  /** Findings kept per server, newest last. */
  maxPerServer?: number;
  /**
   * Frames checked per server per second at most (default 200). An agent sends a few calls a second, so its every
   * frame is checked; a flood (a load test, a benchmark) gets 200 a second checked and the rest counted, so the
   * check, about 2.4 µs a frame, never costs more than half a millisecond a second per server.
   */
  maxChecksPerSecond?: number;
  /** Counts frames left unchecked over that budget (the /metrics counter). */
  countUnchecked?(server: string, frames: number): void;
}

/** Checks made in the current one-second window; frames left out, in all and as far as counted in /metrics. */
interface Budget {
  second: number;
  used: number;
  skipped: number;
  skippedCounted: number;
}

/**
 * The protocol checker on every frame a server sends while Switchboard serves it. It reads the recorder's
 * batches, never the router's hot path: redaction, pairing and the batching have happened, and a slow check
 * delays only the next batch. Responses come matched to their request already, so ids are not tracked here;
 * lines that were not JSON never become frames, so those come from the router's protocol-violation log.
 */
export class LiveLinter {
  private readonly checkers = new Map<string, ProtocolChecker>();
  private readonly found = new Map<string, Problem[]>();
  private readonly budgets = new Map<string, Budget>();
  private readonly max: number;
  private readonly perSecond: number;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly sources: LiveLinterSources) {
    this.max = sources.maxPerServer ?? 200;
    this.perSecond = sources.maxChecksPerSecond ?? 200;
    this.unsubscribe = [
      sources.onTrafficBatch((batch) => this.rows(batch.items)),
      sources.onLogBatch((batch) => batch.items.forEach((record) => this.log(record))),
    ];
  }

  /** The findings for one server (or every server), oldest first. */
  problems(server?: string): Problem[] {
    if (server !== undefined) return [...(this.found.get(server) ?? [])];
    return [...this.found.values()].flat().sort((a, b) => a.time - b.time);
  }

  /** Frames of this server left unchecked because it sent more than `maxChecksPerSecond`. */
  uncheckedFrames(server: string): number {
    return this.budgets.get(server)?.skipped ?? 0;
  }

  clear(server: string): void {
    this.found.delete(server);
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.checkers.clear();
  }

  /** A batch of rows; frames left unchecked are counted in /metrics once per batch, not once each. */
  private rows(rows: readonly TrafficRow[]): void {
    for (const row of rows) this.row(row);
    for (const [server, budget] of this.budgets) {
      if (budget.skipped === budget.skippedCounted) continue;
      this.sources.countUnchecked?.(server, budget.skipped - budget.skippedCounted);
      budget.skippedCounted = budget.skipped;
    }
  }

  private row(row: TrafficRow): void {
    const server = defaultServerOf(row.server);
    const checker = this.checkerFor(server);
    if (row.truncated) return; // a cut payload is not the frame the server sent: nothing fair to say about it
    if (row.direction === 'up') {
      if (row.kind !== 'request' || row.method !== 'initialize') return;
      try {
        checker.sent(JSON.parse(row.payload));
      } catch {
        // Switchboard's own initialize is JSON; a redaction that broke it leaves client capabilities unknown.
      }
      return;
    }
    if (!this.withinBudget(server, row.time)) return;
    const findings = checker.received(row.payload, row.kind === 'response' ? (row.method ?? undefined) : undefined);
    for (const f of findings) this.add({ ...f, server, seq: row.seq, time: row.time });
  }

  private log(record: EngineLogRecord): void {
    if (record.server === null || !record.message.startsWith('protocol violation')) return;
    const line = typeof record.fields?.line === 'string' ? record.fields.line : '';
    const nonJson = record.message.includes('non-JSON');
    this.add({
      severity: 'error',
      rule: nonJson ? 'non-json-stdout' : 'malformed-jsonrpc',
      message: nonJson
        ? 'a line on stdout is not JSON (stdout is for JSON-RPC only; log to stderr)'
        : 'a line on stdout is JSON but not JSON-RPC 2.0',
      frame: cutFrame(line),
      server: defaultServerOf(record.server),
      seq: null,
      time: record.time,
    });
  }

  private add(problem: Problem): void {
    let list = this.found.get(problem.server);
    if (!list) this.found.set(problem.server, (list = []));
    list.push(problem);
    if (list.length > this.max) list.splice(0, list.length - this.max);
    this.sources.count?.(problem.server, problem);
  }

  /** Only what the server sends is checked (and counted); the client's initialize is always read. */
  private withinBudget(server: string, time: number): boolean {
    const second = Math.floor(time / 1000);
    let budget = this.budgets.get(server);
    if (!budget) this.budgets.set(server, (budget = { second, used: 0, skipped: 0, skippedCounted: 0 }));
    if (budget.second !== second) {
      budget.second = second;
      budget.used = 0;
    }
    if (budget.used < this.perSecond) {
      budget.used++;
      return true;
    }
    budget.skipped++;
    return false;
  }

  private checkerFor(server: string): ProtocolChecker {
    let checker = this.checkers.get(server);
    if (!checker) this.checkers.set(server, (checker = new ProtocolChecker({ trackIds: false })));
    return checker;
  }
}
