import type { Engine } from '../engine.js';
import type { SchemaRun, SchemaRunStore } from '../store/schema-run-repository.js';
import type { StateChange } from '../supervisor/server-supervisor.js';
import { Listeners } from '../util/listeners.js';
import type { Logger } from '../util/logger.js';
import { diffSnapshots } from './schema-diff.js';
import { takeSnapshot } from './snapshot.js';

/** The parts of the engine the watcher uses, so tests and `dev` can hand in just these. */
export type WatchedEngine = Pick<Engine, 'servers' | 'stateChanges'>;

/**
 * After each start of a server (a new process answered `initialize`), lists everything it offers through its
 * router, compares that with the run before (from the store, so across restarts of Switchboard too) and records
 * the run. Per-session servers are skipped: they have no one child to ask between sessions.
 */
export class SchemaWatcher {
  /** Each recorded run, with its changes, once stored. */
  readonly runs = new Listeners<SchemaRun>();
  private readonly unsubscribe: () => void;
  private readonly busy = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: WatchedEngine,
    private readonly store: SchemaRunStore,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = engine.stateChanges.on((c) => this.onState(c));
  }

  /** Resolves once every snapshot under way is recorded (tests, and `dev` before it prints). */
  async settled(): Promise<void> {
    while (this.busy.size > 0) await Promise.all(this.busy.values());
  }

  history(server: string, limit = 10): SchemaRun[] {
    return this.store.history(server, limit);
  }

  dispose(): void {
    this.unsubscribe();
  }

  private onState(change: StateChange): void {
    // 'running' also follows 'degraded' when pings answer again: only a fresh handshake is a new run.
    if (change.state !== 'running' || change.reason !== 'initialize answered') return;
    const name = change.server;
    const previous = this.busy.get(name) ?? Promise.resolve();
    const next = previous
      .then(() => this.snapshot(name))
      .finally(() => {
        if (this.busy.get(name) === next) this.busy.delete(name);
      });
    this.busy.set(name, next);
  }

  private async snapshot(name: string): Promise<void> {
    const server = this.engine.servers.get(name);
    if (!server || server.definition.options.sharing === 'per-session') return;
    try {
      const router = server.router;
      const caps = router.serverInitialize?.capabilities as Record<string, unknown> | undefined;
      const snapshot = await takeSnapshot((method, params) => router.request(method, params), caps ?? null);
      const before = this.store.latest(name);
      const changes = before ? diffSnapshots(before.snapshot, snapshot) : [];
      const run = this.store.record({ server: name, time: Date.now(), snapshot, changes, first: !before });
      this.runs.emit(run);
    } catch (err) {
      // A server that stops or crashes mid-listing gets its next run compared with the last complete one.
      this.logger.warn(`could not list what "${name}" offers after its start: ${(err as Error).message}`, {
        server: name,
      });
    }
  }
}
