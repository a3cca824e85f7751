import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Listeners } from '../util/listeners.js';
import type { Logger } from '../util/logger.js';
import {
  BatchWriter,
  defaultBatchWriterOptions,
  type BatchWriterOptions,
  type StoreWarning,
  type WriterHealth,
} from './batch-writer.js';
import { resolveDataDir } from './data-dir.js';
import { applyHardLimit, DATABASE_FILE, openDatabase, type SqliteDatabase } from './database.js';
import { LogRepository } from './log-repository.js';
import { Migrator } from './migrator.js';
import { migrations } from './migrations/index.js';
import { defaultRetention, type PruneResult, type RetentionPolicy } from './retention.js';
import { ServerRepository } from './server-repository.js';
import { SettingsRepository } from './settings-repository.js';
import { MainThreadSink, type BatchSink, type WriterDesign } from './sink.js';
import { TrafficRepository } from './traffic-repository.js';
import { WorkerSink } from './worker-sink.js';

export interface StoreOptions {
  /** Electron's userData or --data-dir; default: the platform's per-user data folder. */
  dataDir?: string;
  logger: Logger;
  /** Where batches are written. 'worker' (measured better, see docs/store.md) falls back to 'main-thread'. */
  writer?: WriterDesign;
  /** The writer-worker module when a bundler moved it (electron-vite `?modulePath`). */
  workerUrl?: URL;
  batch?: Partial<BatchWriterOptions>;
  /** Pruning policy and how often it runs; false turns retention off. */
  retention?: (Partial<RetentionPolicy> & { intervalMs?: number; firstRunAfterMs?: number }) | false;
  /** Traffic payloads are cut at this many characters. */
  maxPayloadChars?: number;
  /** How long the main connection (registry, settings, queries) waits for a lock. Blocks the event loop meanwhile. */
  busyTimeoutMs?: number;
  /** How long the writer waits for a lock before the batch fails as 'locked' and is retried later. */
  writerBusyTimeoutMs?: number;
  /** Hard ceiling on the file, behind retention's soft maxBytes: past it, logging degrades as on a full disk. */
  hardLimitBytes?: number;
  now?: () => number;
}

export interface StoreHealth extends WriterHealth {
  file: string;
  /** Where a corrupt file found at open was moved. */
  movedAside?: string[];
  lastPrune?: PruneResult;
}

/**
 * The durable record: server registry, settings, logs and traffic in `<dataDir>/switchboard.db`. Logs and traffic
 * go through one batched writer that never blocks or throws on the hot path; problems surface as `warnings`.
 */
export class Store {
  readonly servers: ServerRepository;
  readonly settings: SettingsRepository;
  readonly logs: LogRepository;
  readonly traffic: TrafficRepository;
  private readonly warningListeners = new Listeners<StoreWarning>();
  /** Degraded / recovered / rows lost, for the engine to surface. Each `on` returns its unsubscribe. */
  readonly warnings: Pick<Listeners<StoreWarning>, 'on'> = this.warningListeners;
  private readonly writer: BatchWriter;
  private retentionTimer: NodeJS.Timeout | null = null;
  private retentionOverride: Partial<RetentionPolicy> = {};
  private lastPrune?: PruneResult;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly file: string,
    private readonly db: SqliteDatabase,
    private readonly sink: BatchSink,
    private readonly options: StoreOptions,
    private readonly movedAside: string[] | undefined,
  ) {
    const now = options.now ?? Date.now;
    this.writer = new BatchWriter(
      sink,
      { ...defaultBatchWriterOptions, ...options.batch },
      (warning) => this.onWarning(warning),
      now,
    );
    this.servers = new ServerRepository(db, now);
    this.settings = new SettingsRepository(db, now);
    this.logs = new LogRepository(db, this.writer);
    this.traffic = new TrafficRepository(db, this.writer, options.maxPayloadChars ?? 16 * 1024);
    if (options.retention !== false) {
      const { intervalMs = 15 * 60_000, firstRunAfterMs = 30_000 } = options.retention ?? {};
      const run = (delay: number) => {
        this.retentionTimer = setTimeout(() => void this.prune().finally(() => this.closing || run(intervalMs)), delay);
        this.retentionTimer.unref();
      };
      run(firstRunAfterMs);
    }
  }

  /** Opens (creating the folder and file if needed), migrates, and starts the writer. */
  static async open(options: StoreOptions): Promise<Store> {
    const dataDir = resolveDataDir({ explicit: options.dataDir });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, DATABASE_FILE);
    const logger = options.logger.child('store');
    const { db, movedAside } = openDatabase(file, { busyTimeoutMs: options.busyTimeoutMs ?? 250 }, logger);
    try {
      new Migrator(db, migrations, logger).run(options.now);
      return new Store(
        file,
        db,
        await Store.startSink(options.writer ?? 'worker', file, db, options, logger),
        options,
        movedAside,
      );
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private static async startSink(
    design: WriterDesign,
    file: string,
    db: SqliteDatabase,
    options: StoreOptions,
    logger: Logger,
  ): Promise<BatchSink> {
    if (design === 'worker') {
      try {
        return await WorkerSink.start({
          file,
          workerUrl: options.workerUrl,
          connection: { busyTimeoutMs: options.writerBusyTimeoutMs ?? 2000, hardLimitBytes: options.hardLimitBytes },
        });
      } catch (err) {
        logger.warn(`${(err as Error).message}; writing logs and traffic on the main thread instead`);
      }
    }
    if (options.hardLimitBytes !== undefined) applyHardLimit(db, options.hardLimitBytes);
    return new MainThreadSink(db, file);
  }

  health(): StoreHealth {
    return { ...this.writer.health(), file: this.file, movedAside: this.movedAside, lastPrune: this.lastPrune };
  }

  /** Writes everything queued so far (or gives up after one failed attempt; `health()` says why). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Changes the policy for the next prune (the dashboard's retention setting). */
  setRetention(policy: Partial<RetentionPolicy>): void {
    this.retentionOverride = { ...this.retentionOverride, ...policy };
  }

  /** Runs retention now; resolves with what it deleted. Never rejects. */
  async prune(): Promise<PruneResult> {
    const policy = { ...defaultRetention, ...(this.options.retention || {}), ...this.retentionOverride };
    const result = await this.sink.prune(policy, (this.options.now ?? Date.now)());
    if (result.error) this.options.logger.warn(`pruning old logs and traffic stopped early: ${result.error}`);
    this.lastPrune = result;
    return result;
  }

  /** Flushes what is queued, stops the writer thread and closes the database. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.retentionTimer) clearTimeout(this.retentionTimer);
      await this.writer.close();
      this.db.close();
    })();
    return this.closing;
  }

  private onWarning(warning: StoreWarning): void {
    const log = this.options.logger.child('store');
    if (warning.kind === 'recovered') log.info(warning.message, { rowsLost: warning.rowsLost });
    else log.warn(warning.message, { rowsLost: warning.rowsLost });
    this.warningListeners.emit(warning);
  }
}
