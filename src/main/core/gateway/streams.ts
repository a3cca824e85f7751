import type { ServerResponse } from 'node:http';
import { Listeners } from '../util/listeners.js';
import { BacklogGuard } from './backlog-guard.js';
import { openSseStream, writeSseEvent } from './http-util.js';

/**
 * Every open SSE response registers here, so the gateway can send keepalive comments, close them at shutdown,
 * and close a stream whose reader cannot keep up instead of letting its buffer grow.
 */
export class SseStreams {
  private readonly open = new Set<SseStream>();
  private readonly timer: NodeJS.Timeout | null;
  /** Runs at each keepalive, before the pings: transports with connections that are not SSE streams join in. */
  private readonly ticks = new Listeners<number>();

  constructor(
    /** A stream whose reader stays behind by more than this (see BacklogGuard) is closed. */
    readonly maxBufferedBytes: number,
    readonly keepaliveMs: number,
    /** How long a stream may stay over maxBufferedBytes: a burst drains in far less. */
    readonly backlogGraceMs = 1000,
  ) {
    this.timer = keepaliveMs > 0 ? setInterval(() => this.ping(), keepaliveMs) : null;
    this.timer?.unref();
  }

  start(res: ServerResponse, headers: Record<string, string>, onOverflow: () => void): SseStream {
    openSseStream(res, headers);
    const stream = new SseStream(
      res,
      new BacklogGuard(
        this.maxBufferedBytes,
        this.backlogGraceMs,
        () => res.writableLength,
        () => stream.overflow(onOverflow),
      ),
    );
    this.open.add(stream);
    res.on('close', () => this.open.delete(stream));
    return stream;
  }

  get size(): number {
    return this.open.size;
  }

  /** Called at every keepalive interval with the time; returns the unsubscribe. */
  onTick(fn: (now: number) => void): () => void {
    return this.ticks.on(fn);
  }

  private ping(): void {
    this.ticks.emit(Date.now());
    for (const s of this.open) s.comment('keepalive');
  }

  closeAll(): void {
    if (this.timer) clearInterval(this.timer);
    this.ticks.clear();
    for (const s of this.open) s.end();
  }
}

export class SseStream {
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly backlog: BacklogGuard,
  ) {
    res.on('close', () => {
      this.closed = true;
      backlog.stop();
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(fn: () => void): void {
    this.res.on('close', fn);
  }

  /** `id`: the SSE event id a client can resume after (Streamable HTTP); legacy SSE sends none. */
  send(data: string | Buffer, event = 'message', id?: string): void {
    if (this.closed) return;
    writeSseEvent(this.res, data, event, id);
    this.backlog.check();
  }

  /** The reader fell too far behind. Destroyed, not ended: an end would wait for it, holding the buffer. */
  overflow(onOverflow: () => void): void {
    if (this.closed) return;
    this.closed = true;
    this.res.destroy();
    onOverflow();
  }

  comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }
}
