import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppEventName } from '../../../shared/app-api.js';
import type { AppEventBatch } from '../../../shared/app-transport.js';
import type { AppHost } from '../../core/app/app-host.js';
import { EventBatcher } from '../../core/app/event-batcher.js';

export interface EventStreamOptions {
  keepaliveMs: number;
  /** Bytes a slow reader may leave unread before its stream is closed (its EventSource reconnects). */
  maxBufferedBytes: number;
  /** Events this host does not pass on (terminal output when the terminal is off). */
  withheld: readonly AppEventName[];
  onError?(error: unknown): void;
}

/**
 * `GET /api/events`: the engine's events as Server-Sent Events, one `event: <name>` / `data: <json>` pair per
 * coalesced entry, about ten batches a second. The engine is only subscribed to while a stream is open, and one
 * batch is serialized once for every reader.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly batcher: EventBatcher;
  private unsubscribe: (() => void) | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  /** Set by closeAll: the host is shutting down, so no new stream is opened behind its back. */
  private closed = false;

  constructor(
    private readonly host: AppHost,
    private readonly options: EventStreamOptions,
  ) {
    this.batcher = new EventBatcher({ deliver: (batch) => this.broadcast(batch), onError: options.onError });
  }

  get size(): number {
    return this.clients.size;
  }

  open(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
    if (this.closed) {
      res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '2' });
      res.end('Service Unavailable: shutting down');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    req.socket.setNoDelay(true);
    // A change that happened between the page's first reads and this stream opening would be lost; telling the
    // page the servers changed makes it read them again, now that nothing can slip between.
    res.write('retry: 2000\n: connected\n\nevent: serversChanged\ndata: {"names":[]}\n\n');
    this.clients.add(res);
    res.on('close', () => this.drop(res));
    // A reader's broken socket is that reader's problem: without a listener it would be an uncaught exception.
    res.on('error', () => this.drop(res));
    if (this.clients.size === 1) this.start();
  }

  /**
   * Ends every stream for good (shutdown). The last batch is delivered first and the set emptied before any
   * `end()`: flushing after `end()` was a write after end, an unhandled 'error' that made SIGTERM exit 1.
   */
  closeAll(): void {
    this.closed = true;
    this.stop();
    const open = [...this.clients];
    this.clients.clear();
    for (const res of open) res.end();
  }

  private start(): void {
    this.unsubscribe = this.host.onEvent((event, payload) => {
      if (!this.options.withheld.includes(event)) this.batcher.push(event, payload);
    });
    this.keepalive = setInterval(() => this.write(': keepalive\n\n'), this.options.keepaliveMs);
    this.keepalive.unref();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
    this.batcher.flush();
  }

  private drop(res: ServerResponse): void {
    if (this.clients.delete(res) && this.clients.size === 0) this.stop();
  }

  private broadcast(batch: AppEventBatch): void {
    if (this.clients.size === 0) return;
    // JSON.stringify escapes newlines inside strings, so one event's data is always one line.
    this.write(batch.map(({ event, payload }) => `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`).join(''));
  }

  private write(chunk: string): void {
    for (const res of this.clients) {
      if (res.writableEnded || res.destroyed) continue; // its 'close' is on its way
      if (res.writableLength > this.options.maxBufferedBytes) {
        res.destroy();
        continue;
      }
      res.write(chunk);
    }
  }
}
