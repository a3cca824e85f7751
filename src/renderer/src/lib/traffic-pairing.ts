import type { TrafficFrame } from '../../../shared/app-api.js';
import { Ring } from './ring.js';

/** One line of the traffic view: a request with its response (once it arrives), a notification, or a lone response. */
export interface TrafficRow {
  /** The first frame's seq: stable for the row's life. */
  seq: number;
  time: number;
  server: string;
  session: string | null;
  clientName?: string;
  direction: 'up' | 'down';
  kind: 'request' | 'notification' | 'response';
  method?: string;
  clientId?: string | number | null;
  request?: TrafficFrame;
  response?: TrafficFrame;
  notification?: TrafficFrame;
  latencyMs?: number;
  /** A JSON-RPC error, a tool result with `isError: true`, or a request closed without an answer. */
  isError: boolean;
  /** A tools/call answered with `isError: true` (a failure the tool reported, not a protocol error). */
  toolError?: boolean;
  /**
   * Closed without an answer from the server: its child exited (the client got Switchboard's error), or the
   * request was cancelled or timed out upstream. `closedReason` says which, in words.
   */
  closed?: 'exited' | 'cancelled';
  closedReason?: string;
  /** Bytes of both frames. */
  size: number;
}

/**
 * Turns the frame stream into rows, joining each response to its request by `pairKey`, in a bounded ring. A
 * response replaces its request's row in place, so a row's position never changes.
 */
export class TrafficPairing {
  readonly rows: Ring<TrafficRow>;
  /** pairKey → ring position of the request still waiting for its response. */
  private readonly pending = new Map<string, number>();
  /** The same requests by server, session, direction and JSON-RPC id, for a response that lacks a pairKey. */
  private readonly pendingById = new Map<string, string>();
  /** Servers whose child went down, until a newer frame of theirs shows it is back. */
  private readonly down = new Map<string, { since: number; reason: string }>();
  /** Rows closed without a recorded answer (pairKey → position), in case the answer's frame comes after all. */
  private readonly closedEarly = new Map<string, number>();

  constructor(capacity: number) {
    this.rows = new Ring<TrafficRow>(capacity, (row) => row.server);
  }

  ingest(frames: readonly TrafficFrame[]): void {
    for (const frame of frames) this.ingestOne(frame);
    // The state event can overtake the last frames recorded before the child died (they come in the next
    // traffic batch): those requests are closed once they are in.
    for (const [server, down] of this.down) {
      if (frames.some((f) => f.server === server && f.time > down.since)) this.down.delete(server);
      else this.closeServer(server, down.since, down.reason);
    }
    // Requests that never got an answer (timeouts, closed sessions) must not keep their keys forever.
    if (this.pending.size + this.closedEarly.size > this.rows.capacity) this.sweep();
  }

  clear(): void {
    this.rows.clear();
    this.pending.clear();
    this.pendingById.clear();
    this.down.clear();
    this.closedEarly.clear();
  }

  /**
   * The server's child went down at `since` (backoff, failed, stopped): every request of it still waiting was
   * answered by Switchboard with an error (see the router's onExit), so its row stops being "pending".
   */
  closeServer(server: string, since: number, reason: string): number {
    this.down.set(server, { since, reason });
    let closed = 0;
    for (const [pairKey, position] of this.pending) {
      const row = this.rows.at(position);
      if (!row || row.server !== server || row.time > since || row.direction !== 'up') continue;
      this.forget(pairKey, row);
      this.closedEarly.set(pairKey, position);
      const message = `${reason} while the request was in flight`;
      this.rows.set(position, { ...row, isError: true, closed: 'exited', closedReason: message });
      closed++;
    }
    return closed;
  }

  private ingestOne(frame: TrafficFrame): void {
    if (frame.kind === 'notification' && frame.direction === 'up' && frame.method === 'notifications/cancelled') {
      this.closeCancelled(frame);
    } else if (frame.kind === 'response') {
      const pairKey = frame.pairKey ?? this.pendingById.get(idKey(frame, opposite(frame.direction), responseId(frame)));
      const position = pairKey === undefined ? undefined : this.pending.get(pairKey);
      const row = position === undefined ? undefined : this.rows.at(position);
      if (pairKey !== undefined && position !== undefined && row) {
        this.forget(pairKey, row);
        this.rows.set(position, withResponse(row, frame));
        return;
      }
      // An answer recorded for a row already closed here (the engine's own error frame, arriving after the
      // state event that closed it): the recorded frame is the better account, so it takes the row's place.
      const early = pairKey === undefined ? undefined : this.closedEarly.get(pairKey);
      const closedRow = early === undefined ? undefined : this.rows.at(early);
      if (pairKey !== undefined && early !== undefined && closedRow) {
        this.closedEarly.delete(pairKey);
        const { closed: _c, closedReason: _r, ...open } = closedRow;
        this.rows.set(early, withResponse(open, frame));
        return;
      }
    }
    const row = rowFor(frame);
    const position = this.rows.push(row);
    if (frame.kind === 'request' && frame.pairKey !== undefined) {
      this.pending.set(frame.pairKey, position);
      if (frame.clientId !== undefined && frame.clientId !== null) {
        this.pendingById.set(idKey(frame, frame.direction, frame.clientId), frame.pairKey);
      }
    }
  }

  /**
   * A request cancelled upstream (by its client, or by Switchboard on a timeout) is never answered; the
   * notification names it by the id the child saw, which only the request's own payload carries.
   */
  private closeCancelled(frame: TrafficFrame): void {
    const params = parseObject(frame.payload)?.params as { requestId?: unknown; reason?: unknown } | undefined;
    const childId = params?.requestId;
    if (childId === undefined) return;
    for (const [pairKey, position] of this.pending) {
      const row = this.rows.at(position);
      if (!row?.request || row.server !== frame.server || row.direction !== 'up') continue;
      if (childIdOf(row.request) !== childId) continue;
      this.forget(pairKey, row);
      this.closedEarly.set(pairKey, position);
      const reason = typeof params?.reason === 'string' && params.reason ? params.reason : 'cancelled';
      this.rows.set(position, { ...row, isError: true, closed: 'cancelled', closedReason: reason });
      return;
    }
  }

  private forget(pairKey: string, row: TrafficRow): void {
    this.pending.delete(pairKey);
    if (row.clientId !== undefined && row.clientId !== null) {
      const key = idKey(row, row.direction, row.clientId);
      if (this.pendingById.get(key) === pairKey) this.pendingById.delete(key);
    }
  }

  private sweep(): void {
    for (const [key, position] of this.pending) if (position < this.rows.start) this.pending.delete(key);
    for (const [key, pairKey] of this.pendingById) if (!this.pending.has(pairKey)) this.pendingById.delete(key);
    for (const [key, position] of this.closedEarly) if (position < this.rows.start) this.closedEarly.delete(key);
  }
}

function opposite(direction: 'up' | 'down'): 'up' | 'down' {
  return direction === 'up' ? 'down' : 'up';
}

function idKey(
  frame: Pick<TrafficFrame, 'server' | 'session'>,
  direction: 'up' | 'down',
  id: string | number | null | undefined,
): string {
  return `${frame.server}\u0000${frame.session ?? ''}\u0000${direction}\u0000${JSON.stringify(id ?? null)}`;
}

/**
 * The JSON-RPC id of a response that came without a pairKey (some engine-made answers do): from `clientId`, else
 * from the payload. Rare, so parsing the payload here costs nothing on the hot path.
 */
function responseId(frame: TrafficFrame): string | number | null {
  if (frame.clientId !== undefined && frame.clientId !== null) return frame.clientId;
  try {
    const id = (JSON.parse(frame.payload) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

function parseObject(payload: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(payload) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The JSON-RPC id in a frame's payload: the id the child saw (the list shows the client's, `clientId`). */
export function childIdOf(frame: TrafficFrame): string | number | null {
  const id = parseObject(frame.payload)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * A tools/call result with `isError: true` is a failure even though the JSON-RPC exchange succeeded. Only
 * tools/call answers that mention isError are parsed, so the common case costs one substring search.
 */
function isToolError(method: string | undefined, response: TrafficFrame): boolean {
  if (method !== 'tools/call' || response.isError || !response.payload.includes('"isError"')) return false;
  const result = parseObject(response.payload)?.result as { isError?: unknown } | undefined;
  return result?.isError === true;
}

function rowFor(frame: TrafficFrame): TrafficRow {
  return {
    seq: frame.seq,
    time: frame.time,
    server: frame.server,
    session: frame.session,
    clientName: frame.clientName,
    direction: frame.direction,
    kind: frame.kind,
    method: frame.method,
    clientId: frame.clientId,
    request: frame.kind === 'request' ? frame : undefined,
    response: frame.kind === 'response' ? frame : undefined,
    notification: frame.kind === 'notification' ? frame : undefined,
    latencyMs: frame.kind === 'response' ? frame.latencyMs : undefined,
    isError: frame.isError === true,
    size: frame.size,
  };
}

function withResponse(row: TrafficRow, response: TrafficFrame): TrafficRow {
  const method = row.method ?? response.method;
  const toolError = isToolError(method, response);
  return {
    ...row,
    response,
    clientName: row.clientName ?? response.clientName,
    method,
    latencyMs: response.latencyMs ?? Math.max(0, response.time - row.time),
    isError: response.isError === true || toolError,
    ...(toolError ? { toolError } : {}),
    size: row.size + response.size,
  };
}

export interface TrafficFilter {
  server?: string;
  clientName?: string;
  /** A substring of the method name, case-insensitive. */
  method?: string;
  errorsOnly?: boolean;
}

/** A predicate for the filter, or null when it lets everything through (the view can then skip filtering). */
export function trafficPredicate(filter: TrafficFilter): ((row: TrafficRow) => boolean) | null {
  const method = filter.method?.trim().toLowerCase() ?? '';
  const { server, clientName, errorsOnly } = filter;
  if (!server && !clientName && !method && !errorsOnly) return null;
  return (row) =>
    (!server || row.server === server) &&
    (!clientName || (row.clientName ?? row.session ?? '') === clientName) &&
    (!method || (row.method ?? '').toLowerCase().includes(method)) &&
    (!errorsOnly || row.isError);
}

/** The name shown for a row's client: the name it gave in `initialize`, else its session id. */
export function clientLabel(row: Pick<TrafficRow, 'clientName' | 'session'>): string {
  return row.clientName ?? row.session ?? 'Switchboard';
}
