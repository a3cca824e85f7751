import type { ServerResponse } from 'node:http';
import { openSseStream, writeSseEvent } from './http-util.js';

/**
 * Every open SSE response registers here, so the gateway can send keepalive comments, close them at shutdown,
 * and close a stream whose reader cannot keep up instead of letting its buffer grow.
 */
export class SseStreams {
  private readonly open = new Set<SseStream>();
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    readonly maxBufferedBytes: number,
    keepaliveMs: number,
  ) {
    this.timer = keepaliveMs > 0 ? setInterval(() => this.ping(), keepaliveMs) : null;
    this.timer?.unref();
  }

  start(res: ServerResponse, headers: Record<string, string>, onOverflow: () => void): SseStream {
    openSseStream(res, headers);
    const stream = new SseStream(res, this.maxBufferedBytes, onOverflow);
    this.open.add(stream);
    res.on('close', () => this.open.delete(stream));
    return stream;
  }

  get size(): number {
    return this.open.size;
  }

  private ping(): void {
    for (const s of this.open) s.comment('keepalive');
  }

  closeAll(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.open) s.end();
  }
}

export class SseStream {
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferedBytes: number,
    private readonly onOverflow: () => void,
  ) {
    res.on('close', () => (this.closed = true));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(fn: () => void): void {
    this.res.on('close', fn);
  }

  send(data: string, event = 'message'): void {
    if (this.closed) return;
    writeSseEvent(this.res, data, event);
    if (this.res.writableLength > this.maxBufferedBytes) this.onOverflow();
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
