import type { ServerResponse } from 'node:http';
import { ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { writeJson } from '../protocol/json-text.js';
import { RawResponse, wireJson } from '../protocol/raw-response.js';
import type { EventLog } from './event-log.js';
import type { SseStream, SseStreams } from './streams.js';

/** What an exchange needs from its session. */
export interface ExchangeContext {
  streams: SseStreams;
  log: EventLog;
  /** The client is not reading fast enough: the session closes. */
  onOverflow(): void;
  /** The exchange became an SSE stream with this number (so a `Last-Event-ID` can find it). */
  onStream(stream: number, exchange: Exchange): void;
}

/**
 * One POST waiting for the answers to its request (or, for a 2025-03-26 batch, its requests). It answers as plain
 * JSON when nothing else comes first (cheapest, and allowed by the spec); it turns into an SSE stream when the
 * server sends something about these requests before the answers (progress, a sampling request), or when the wait
 * outlasts a keepalive interval, so proxies see bytes on a long call.
 *
 * Once a stream, every event gets an id and is recorded in the session's event log: if the client loses the
 * connection, later events are still recorded and a GET with `Last-Event-ID` picks the stream up where it broke.
 */
export class Exchange {
  private stream: SseStream | null = null;
  /** 0 while the answer can still be plain JSON. */
  streamId = 0;
  done = false;
  readonly startedAt = Date.now();
  private readonly waiting: Set<JsonRpcId>;
  private readonly answers: JsonRpcMessage[] = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
    private readonly canStream: boolean,
    ids: JsonRpcId[],
    /** A batch is answered with a JSON array, even of one. */
    private readonly batch: boolean,
    private readonly context: ExchangeContext,
  ) {
    this.waiting = new Set(ids);
  }

  /** Answers that never reach the child (a malformed batch entry) but belong in the batch's reply. */
  preanswer(msg: JsonRpcMessage): void {
    this.answers.push(msg);
  }

  /**
   * Carries `msg`; `final` when it is the response to `forId`. Returns false when this exchange cannot carry it
   * (finished, or a non-final message for a client that accepts no stream).
   */
  send(msg: JsonRpcMessage, final: boolean, forId: JsonRpcId): boolean {
    if (this.done) return false;
    if (!this.streamId) {
      if (final) {
        this.waiting.delete(forId);
        this.answers.push(msg);
        if (this.waiting.size === 0) this.answerJson();
        return true;
      }
      if (!this.canStream) return false;
      this.upgrade();
    }
    if (final) this.waiting.delete(forId);
    this.emit(wireJson(msg));
    if (this.waiting.size === 0) this.finish();
    return true;
  }

  /** Whether a message about these requests (progress, a server→client request) can still be carried. */
  get canCarry(): boolean {
    return !this.done && (this.streamId > 0 || this.canStream);
  }

  /**
   * The client cancelled `id`: nothing more comes for it. A plain JSON wait gets an error answer for it (the POST
   * must end with something); a stream ends once nothing else is awaited.
   */
  release(id: JsonRpcId, reason: string): void {
    if (this.done || !this.waiting.delete(id)) return;
    if (!this.streamId) {
      this.answers.push(errorResponse(id, ErrorCode.Cancelled, `Request cancelled: ${reason}`));
      if (this.waiting.size === 0) this.answerJson();
      return;
    }
    if (this.waiting.size === 0) this.finish();
  }

  /** At a keepalive tick: a wait longer than `intervalMs` becomes a stream, so the pings reach this client. */
  keepalive(now: number, intervalMs: number): void {
    if (!this.streamId && this.canStream && !this.done && now - this.startedAt >= intervalMs) this.upgrade();
  }

  /** A resumed GET takes over the stream (after the caller replayed what was missed). */
  attach(stream: SseStream): void {
    if (this.stream?.isOpen) this.stream.end();
    this.stream = stream;
  }

  /** The session ends: a stream ends; a POST still waiting for plain JSON gets an error now, not silence. */
  abandon(reason: string): void {
    if (this.done) return;
    if (this.streamId) return this.finish();
    const why = `the session was closed: ${reason}`;
    for (const id of this.waiting) this.answers.push(errorResponse(id, ErrorCode.ServerUnavailable, why));
    this.waiting.clear();
    if (!this.res.writableEnded && !this.res.destroyed) this.answerJson();
    this.done = true;
  }

  private answerJson(): void {
    this.done = true;
    const answer = this.batch ? this.answers : this.answers[0];
    // A large response forwarded as bytes goes out as the server's bytes around the client's id, never decoded or
    // copied (raw-response.ts); the pieces leave in one writev.
    const data = answer instanceof RawResponse ? answer.chunks() : [writeJson(answer)];
    this.res.writeHead(200, {
      ...this.headers,
      'content-type': 'application/json',
      'content-length': data.reduce((n, d) => n + Buffer.byteLength(d), 0),
    });
    if (data.length > 1) this.res.cork();
    for (const d of data) this.res.write(d);
    this.res.end();
    if (data.length > 1) this.res.uncork();
  }

  private upgrade(): void {
    this.streamId = this.context.log.newStream();
    this.stream = this.context.streams.start(this.res, this.headers, this.context.onOverflow);
    this.context.onStream(this.streamId, this);
    // Answers collected for a batch so far go first, as events of their own.
    for (const answer of this.answers.splice(0)) this.emit(wireJson(answer));
  }

  private emit(data: string | Buffer): void {
    const id = this.context.log.append(this.streamId, data);
    if (this.stream?.isOpen) this.stream.send(data, 'message', id);
  }

  private finish(): void {
    this.done = true;
    this.stream?.end();
  }
}
