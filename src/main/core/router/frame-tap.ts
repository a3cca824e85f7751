import type { JsonRpcMessage } from '../protocol/jsonrpc.js';
import type { RawResponse } from '../protocol/raw-response.js';
import type { FrameEvent, FrameObserver } from '../telemetry/frame.js';
import type { DownstreamSession } from './session.js';

/**
 * Reports frames to the router's observer (telemetry), if there is one. With none, each call is one null check:
 * the hot path pays nothing for telemetry that is off.
 */
export class FrameTap {
  observer: FrameObserver | null = null;

  constructor(private readonly server: string) {}

  up(msg: JsonRpcMessage, line: string, session: DownstreamSession | null, clientId?: FrameEvent['clientId']): void {
    if (!this.observer) return;
    const kind = msg.method === undefined ? 'response' : msg.id === undefined ? 'notification' : 'request';
    this.emit('up', line, kind, session, { method: msg.method, clientId, isError: msg.error !== undefined });
  }

  down(line: string, kind: FrameEvent['kind'], session: DownstreamSession | null, extra: Partial<FrameEvent>): void {
    if (this.observer) this.emit('down', line, kind, session, extra);
  }

  /** A large response forwarded as bytes: the observer gets its start, flagged as cut, and its full size. */
  downRaw(raw: RawResponse, session: DownstreamSession | null, extra: Partial<FrameEvent>): void {
    if (!this.observer) return;
    const { text, cut } = raw.tapPayload();
    this.emit('down', text, 'response', session, extra, raw.size, cut);
  }

  sessionClosed(session: DownstreamSession): void {
    this.observer?.onSessionClosed?.(session.id, this.server);
  }

  /**
   * Every frame gets the same fields in the same order, present even when undefined: the observers (metrics,
   * recorder, pairing, the store) then read one object shape, which V8 keeps fast. A spread of `extra` gave
   * each call site its own shape.
   */
  private emit(
    direction: FrameEvent['direction'],
    payload: string,
    kind: FrameEvent['kind'],
    session: DownstreamSession | null,
    extra: Partial<FrameEvent>,
    size = payload.length,
    payloadCut = false,
  ): void {
    this.observer!.onFrame({
      direction,
      server: this.server,
      session: session?.id ?? null,
      clientName: session?.clientInfo?.name,
      kind,
      method: extra.method,
      clientId: extra.clientId,
      isError: extra.isError,
      latencyMs: extra.latencyMs,
      size,
      time: Date.now(),
      payload,
      payloadCut,
    });
  }
}
