import type { LogLevel, LogRecord, LogSink } from '../util/logger.js';
import { Batcher } from './batcher.js';
import { LiveFeed, type LiveBatch } from './live-feed.js';
import { Redactor } from './redaction.js';
import { RingBuffer } from './ring-buffer.js';

export interface EngineLogRecord {
  seq: number;
  time: number;
  level: LogRecord['level'];
  source: string;
  /** The server the record is about: its `server` field, or the logger it came from (`switchboard:<name>`). */
  server: string | null;
  /** 'stderr': a line the child wrote to its stderr. */
  stream: 'engine' | 'stderr';
  message: string;
  fields?: Record<string, unknown>;
}

export interface LogFilter {
  server?: string;
  /** The least severe level wanted: 'warn' returns warnings and errors. */
  level?: Exclude<LogLevel, 'silent'>;
  stream?: EngineLogRecord['stream'];
  /** Case-insensitive, in the message or the source. */
  text?: string;
  sinceTime?: number;
  /** The newest this many matches, oldest first; default 1000. */
  limit?: number;
}

export interface EngineLogOptions {
  capacity?: number;
  sink?: (records: EngineLogRecord[]) => void;
  batchIntervalMs?: number;
  batchMaxRows?: number;
  redactor?: Redactor;
  firstSeq?: number;
  /** Whether a logger source segment names a server; pass `(n) => engine.servers.has(n)`. */
  isServer?: (name: string) => boolean;
}

const severity: Record<EngineLogRecord['level'], number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Loggers of engine parts, not servers, when no `isServer` is given. */
const components = new Set(['gateway', 'store', 'registry', 'telemetry', 'shell', 'config', 'cli']);

/** Fans one log record out to several sinks: `createLogger(level, teeSinks(stderrSink, engineLog.sink))`. */
export function teeSinks(...sinks: LogSink[]): LogSink {
  return (record) => {
    for (const sink of sinks) sink(record);
  };
}

/**
 * The engine's recent log and its children's stderr, for the dashboard and for the store: a bounded ring,
 * queryable, with batched hand-off to a persistence sink and to live views. Records are redacted on the way in.
 */
export class EngineLog {
  readonly redactor: Redactor;
  private readonly ring: RingBuffer<EngineLogRecord>;
  private readonly toSink: Batcher<EngineLogRecord> | null;
  private readonly live: LiveFeed<EngineLogRecord>;
  private nextSeq: number;

  constructor(private readonly options: EngineLogOptions = {}) {
    this.redactor = options.redactor ?? new Redactor();
    this.ring = new RingBuffer(options.capacity ?? 5000);
    this.nextSeq = options.firstSeq ?? 1;
    const sink = options.sink;
    // A failing sink cannot be logged through this log without feeding itself; it is reported on stderr.
    const onError = (err: unknown) => process.stderr.write(`engine log sink failed: ${(err as Error)?.message}\n`);
    this.toSink = sink
      ? new Batcher({
          maxItems: options.batchMaxRows ?? 500,
          intervalMs: options.batchIntervalMs ?? 100,
          deliver: sink,
          onError,
        })
      : null;
    this.live = new LiveFeed({ intervalMs: options.batchIntervalMs ?? 100, onError });
  }

  /** A LogSink: pass it to createLogger, alone or with `teeSinks`. */
  readonly sink: LogSink = (record) => {
    const source = record.source;
    const fieldServer = typeof record.fields?.server === 'string' ? record.fields.server : null;
    this.add({
      time: record.time,
      level: record.level,
      source,
      server: fieldServer ?? this.serverOfSource(source),
      stream: source.endsWith(':stderr') || record.fields?.stderr === true ? 'stderr' : 'engine',
      message: record.message,
      fields: record.fields && this.redactFields(record.fields),
    });
  };

  /** A child's stderr line fed directly (not through a logger, so no log level can hide it). */
  addStderr(server: string, line: string, time = Date.now()): void {
    this.add({ time, level: 'info', source: `switchboard:${server}:stderr`, server, stream: 'stderr', message: line });
  }

  onBatch(fn: (batch: LiveBatch<EngineLogRecord>) => void): () => void {
    return this.live.on(fn);
  }

  query(filter: LogFilter = {}): EngineLogRecord[] {
    const limit = filter.limit ?? 1000;
    const min = filter.level ? severity[filter.level] : 0;
    const needle = filter.text?.toLowerCase();
    const out: EngineLogRecord[] = [];
    if (limit <= 0) return out;
    for (const r of this.ring.newestFirst()) {
      if (filter.server !== undefined && r.server !== filter.server) continue;
      if (severity[r.level] < min) continue;
      if (filter.stream !== undefined && r.stream !== filter.stream) continue;
      if (filter.sinceTime !== undefined && r.time < filter.sinceTime) continue;
      if (needle && !r.message.toLowerCase().includes(needle) && !r.source.toLowerCase().includes(needle)) continue;
      out.push(r);
      if (out.length >= limit) break;
    }
    return out.reverse();
  }

  get size(): number {
    return this.ring.size;
  }

  dispose(): void {
    this.toSink?.dispose();
    this.live.dispose();
  }

  private add(record: Omit<EngineLogRecord, 'seq'>): void {
    const full: EngineLogRecord = { seq: this.nextSeq++, ...record, message: this.redactor.redact(record.message) };
    this.ring.push(full);
    this.toSink?.add(full);
    this.live.add(full);
  }

  private serverOfSource(source: string): string | null {
    const name = source.split(':')[1];
    if (name === undefined) return null;
    const isServer = this.options.isServer ?? ((n: string) => !components.has(n));
    return isServer(name) ? name : null;
  }

  private redactFields(fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' ? this.redactor.redact(v) : v;
    return out;
  }
}
