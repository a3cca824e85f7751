import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Logger } from '../util/logger.js';
import { Batcher } from './batcher.js';
import type { FrameEvent, FrameObserver } from './frame.js';
import { LiveFeed, type LiveBatch } from './live-feed.js';
import { Redactor } from './redaction.js';
import { RingBuffer } from './ring-buffer.js';
import { RequestPairs, matches, redactAndCap, type TrafficFilter, type TrafficRow } from './traffic-row.js';

export interface TrafficRecorderOptions {
  /** Rows kept in memory for live views. */
  capacity?: number;
  /** …and at most this many payload characters across them. */
  maxRingChars?: number;
  /** Payloads longer than this are cut and flagged `truncated`. */
  maxPayloadChars?: number;
  /** Receives every row once, in batches, for persistence. */
  sink?: (rows: TrafficRow[]) => void;
  batchIntervalMs?: number;
  batchMaxRows?: number;
  /** Shared with the engine log, so a secret marked once is scrubbed everywhere. */
  redactor?: Redactor;
  firstSeq?: number;
  logger?: Logger;
}

/**
 * Records every frame the router sees. `onFrame` only queues the frame: redaction, truncation and pairing run
 * once per batch (every 100 ms or 500 frames), off the path of the message itself. Nothing is visible before it
 * is redacted: `query` and `exportJsonl` process the queue first.
 */
export class TrafficRecorder implements FrameObserver {
  readonly redactor: Redactor;
  private readonly ring: RingBuffer<TrafficRow>;
  private readonly queue: Batcher<FrameEvent>;
  private readonly live: LiveFeed<TrafficRow>;
  private readonly pairs = new RequestPairs();
  private closed: string[] = [];
  private readonly maxPayloadChars: number;
  private nextSeq: number;
  private readonly redact = (text: string) => this.redactor.redact(text);

  constructor(private readonly options: TrafficRecorderOptions = {}) {
    this.redactor = options.redactor ?? new Redactor();
    this.maxPayloadChars = options.maxPayloadChars ?? 64 * 1024;
    this.nextSeq = options.firstSeq ?? 1;
    this.ring = new RingBuffer<TrafficRow>(options.capacity ?? 10_000, {
      maxWeight: options.maxRingChars ?? 64 * 1024 * 1024,
      weightOf: (row) => row.payload.length,
    });
    const onError = (what: string) => (err: unknown) =>
      options.logger?.warn(`traffic ${what} failed: ${(err as Error)?.message ?? String(err)}`);
    this.queue = new Batcher<FrameEvent>({
      maxItems: options.batchMaxRows ?? 500,
      intervalMs: options.batchIntervalMs ?? 100,
      deliver: (frames) => this.process(frames),
      onError: onError('recording'),
    });
    this.live = new LiveFeed<TrafficRow>({ intervalMs: options.batchIntervalMs ?? 100, onError: onError('listener') });
  }

  onFrame(frame: FrameEvent): void {
    this.queue.add(frame);
  }

  /** The session's rows stay for the record; only its open request pairs go, once its last frames are in. */
  onSessionClosed(session: string): void {
    this.closed.push(session);
  }

  /** Marks a value secret (an env value, a token); frames recorded from now on have it replaced. */
  addSecret(value: string): boolean {
    return this.redactor.addSecret(value);
  }

  /** Live rows, about ten batches a second however busy; returns the unsubscribe. */
  onBatch(fn: (batch: LiveBatch<TrafficRow>) => void): () => void {
    return this.live.on(fn);
  }

  /** The newest `limit` (default 1000) rows in the ring matching the filter, oldest first. */
  query(filter: TrafficFilter = {}): TrafficRow[] {
    this.queue.flush();
    const limit = filter.limit ?? 1000;
    const out: TrafficRow[] = [];
    if (limit <= 0) return out;
    for (const row of this.ring.newestFirst()) {
      if (!matches(row, filter)) continue;
      out.push(row);
      if (out.length >= limit) break;
    }
    return out.reverse();
  }

  /** Writes the matching rows as JSON Lines, minding backpressure; does not end the stream. Returns the count. */
  async exportJsonl(out: Writable, filter: TrafficFilter = {}): Promise<number> {
    const rows = this.query({ ...filter, limit: filter.limit ?? Infinity });
    for (const row of rows) {
      if (!out.write(JSON.stringify(row) + '\n')) await once(out, 'drain');
    }
    return rows.length;
  }

  get size(): number {
    return this.ring.size + this.queue.pending;
  }

  /** Hands the rest to the sink and stops the timers. */
  dispose(): void {
    this.queue.dispose();
    this.live.dispose();
    this.pairs.clear();
  }

  private process(frames: FrameEvent[]): void {
    const rows = frames.map((f) => this.toRow(f));
    for (const session of this.closed) this.pairs.forgetSession(session);
    this.closed = [];
    for (const row of rows) this.ring.push(row);
    this.live.push(rows);
    if (this.options.sink) {
      try {
        this.options.sink(rows);
      } catch (err) {
        this.options.logger?.warn(`traffic sink failed: ${(err as Error)?.message ?? String(err)}`);
      }
    }
  }

  private toRow(f: FrameEvent): TrafficRow {
    const seq = this.nextSeq++;
    const { text, truncated } = redactAndCap(f.payload, this.maxPayloadChars, this.redact);
    return {
      seq,
      time: f.time,
      direction: f.direction,
      server: f.server,
      session: f.session,
      clientName: f.clientName ?? null,
      kind: f.kind,
      method: f.method ?? null,
      id: f.clientId ?? null,
      isError: f.isError === true,
      latencyMs: f.latencyMs ?? null,
      size: f.size,
      pairKey: this.pairs.keyFor(f, seq),
      payload: text,
      truncated: truncated || f.payloadCut === true,
    };
  }
}
