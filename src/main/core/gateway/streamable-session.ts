import type { ServerResponse } from 'node:http';
import { writeJson } from '../protocol/json-text.js';
import type { JsonRpcId, JsonRpcMessage } from '../protocol/jsonrpc.js';
import { ClientSession } from '../router/session.js';
import type { Logger } from '../util/logger.js';
import { EventLog, parseEventId, type EventLogLimits } from './event-log.js';
import type { Exchange, ExchangeContext } from './exchange.js';
import { HttpError } from './http-util.js';
import type { SseStream, SseStreams } from './streams.js';

/** One Streamable HTTP client session: its POST exchanges, its GET stream and the event log behind both. */
export class StreamableSession extends ClientSession {
  readonly transport = 'streamable-http' as const;
  /** Open exchanges by the client's request id (a batch's exchange appears once per request). */
  readonly exchanges = new Map<JsonRpcId, Exchange>();
  /** Exchanges that became SSE streams and still wait for answers, by stream number. */
  private readonly streamed = new Map<number, Exchange>();
  readonly log: EventLog;
  readonly exchangeContext: ExchangeContext;
  private standalone: SseStream | null = null;
  /** The GET stream's number; 0 until the client opens one. Kept while it is away, so it can resume. */
  private standaloneId = 0;

  constructor(
    id: string,
    events: EventLogLimits,
    private readonly streams: SseStreams,
    private readonly logger: Logger,
    onOverflow: (session: StreamableSession) => void,
  ) {
    super(id);
    this.log = new EventLog(events);
    this.exchangeContext = {
      streams,
      log: this.log,
      onOverflow: () => onOverflow(this),
      onStream: (stream, exchange) => this.streamed.set(stream, exchange),
    };
  }

  deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    if (relatedTo !== undefined) {
      const exchange = this.exchanges.get(relatedTo);
      const final = msg.method === undefined && msg.id === relatedTo;
      if (exchange?.send(msg, final, relatedTo)) {
        if (final) this.exchanges.delete(relatedTo);
        if (exchange.done) this.streamed.delete(exchange.streamId);
        return;
      }
      if (final) return; // the POST is gone and was never a stream: its answer has nowhere to go
    }
    this.sendStandalone(writeJson(msg), msg.method);
  }

  canReceive(relatedTo?: JsonRpcId): boolean {
    const exchange = relatedTo === undefined ? undefined : this.exchanges.get(relatedTo);
    return (exchange?.canCarry ?? false) || this.hasOpenStandalone;
  }

  override release(clientId: JsonRpcId, reason: string): void {
    const exchange = this.exchanges.get(clientId);
    if (!exchange) return;
    this.exchanges.delete(clientId);
    exchange.release(clientId, reason);
    if (exchange.done) this.streamed.delete(exchange.streamId);
  }

  /** The GET stream. While it is away the events are still recorded, for a resume with `Last-Event-ID`. */
  private sendStandalone(data: string, method?: string): void {
    if (!this.standaloneId) {
      this.logger.debug('no open stream for a message; dropped', { session: this.id, method });
      return;
    }
    const id = this.log.append(this.standaloneId, data);
    if (this.standalone?.isOpen) this.standalone.send(data, 'message', id);
  }

  get hasOpenStandalone(): boolean {
    return this.standalone?.isOpen ?? false;
  }

  openStandalone(res: ServerResponse, headers: Record<string, string>): void {
    this.standaloneId = this.log.newStream();
    this.standalone = this.streams.start(res, headers, this.exchangeContext.onOverflow);
  }

  /**
   * A GET with `Last-Event-ID`: replays the events of that one stream after that id, then carries the stream on
   * (the GET stream, or a POST stream whose answers are still to come); a finished stream ends after the replay.
   */
  resume(lastEventId: string, res: ServerResponse, headers: Record<string, string>): void {
    const at = parseEventId(lastEventId);
    if (!at || !this.log.knows(at.stream)) {
      throw new HttpError(
        400,
        `Bad Request: Last-Event-ID ${JSON.stringify(lastEventId)} names no stream of this session`,
      );
    }
    const { events, complete } = this.log.after(at.stream, at.seq);
    if (!complete) {
      this.logger.warn('resumed a stream whose oldest missed events were already dropped (event log limit)', {
        session: this.id,
        lastEventId,
      });
    }
    const stream = this.streams.start(res, headers, this.exchangeContext.onOverflow);
    for (const e of events) stream.send(e.data, 'message', e.id);
    if (at.stream === this.standaloneId) {
      if (this.standalone?.isOpen) this.standalone.end(); // the client gave up on it; a half-open socket lingers
      this.standalone = stream;
      return;
    }
    const exchange = this.streamed.get(at.stream);
    if (exchange && !exchange.done) exchange.attach(stream);
    else stream.end();
  }

  /** Keepalive tick: long waits for plain JSON answers become streams so the pings reach them. */
  keepalive(now: number, intervalMs: number): void {
    for (const exchange of new Set(this.exchanges.values())) exchange.keepalive(now, intervalMs);
  }

  get idle(): boolean {
    return !this.hasOpenStandalone && this.exchanges.size === 0 && this.inflight.size === 0;
  }

  close(reason: string): void {
    this.standalone?.end();
    for (const ex of new Set(this.exchanges.values())) ex.abandon(reason);
    this.exchanges.clear();
    this.streamed.clear();
  }
}
