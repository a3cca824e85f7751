import type { JsonRpcId } from '../protocol/jsonrpc.js';
import type { FrameEvent } from './frame.js';

/** One recorded frame, redacted and capped; what live views, the store and JSONL exports see. */
export interface TrafficRow {
  /** Increases by one per row; continues from `firstSeq` so rows of several runs stay distinct in the store. */
  seq: number;
  time: number;
  direction: FrameEvent['direction'];
  server: string;
  session: string | null;
  clientName: string | null;
  kind: FrameEvent['kind'];
  method: string | null;
  /** The JSON-RPC id in the client's id space (the child's, for a request the server sent). */
  id: JsonRpcId | null;
  isError: boolean;
  latencyMs: number | null;
  /** Size of the frame as it crossed the pipe, before truncation. */
  size: number;
  /** The `seq` of the request row; a request and its response share it. Null for notifications. */
  pairKey: number | null;
  payload: string;
  truncated: boolean;
}

export interface TrafficFilter {
  server?: string;
  session?: string;
  method?: string;
  errorsOnly?: boolean;
  sinceTime?: number;
  /** The newest this many matching rows (in time order). Default 1000 for `query`, all for `exportJsonl`. */
  limit?: number;
}

export function matches(row: TrafficRow, f: TrafficFilter): boolean {
  return (
    (f.server === undefined || row.server === f.server) &&
    (f.session === undefined || row.session === f.session) &&
    (f.method === undefined || row.method === f.method) &&
    (!f.errorsOnly || row.isError) &&
    (f.sinceTime === undefined || row.time >= f.sinceTime)
  );
}

/** Room past the cap kept for redaction, so a secret straddling the cut is still recognised whole. */
const REDACTION_MARGIN = 4096;

/**
 * Redacts a payload and cuts it to `cap` UTF-16 units, never between the halves of a surrogate pair. Only the
 * part that can be kept is scanned, so a multi-megabyte answer costs no more than a 64 KiB one. A cut is copied:
 * a V8 slice of a long string keeps the whole original alive, which would defeat the cap.
 */
export function redactAndCap(payload: string, cap: number, redact: (s: string) => string) {
  const precut = payload.length > cap + REDACTION_MARGIN;
  const redacted = redact(precut ? payload.slice(0, cap + REDACTION_MARGIN) : payload);
  if (redacted.length <= cap) return { text: precut ? copy(redacted) : redacted, truncated: precut };
  let end = cap;
  const last = redacted.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: copy(redacted.slice(0, end)), truncated: true };
}

const copy = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** Requests one party has open: the client's (up, answered down) and the server's (down, answered up). */
interface OpenRequests {
  byClient: Map<JsonRpcId, number>;
  byServer: Map<JsonRpcId, number>;
}

/**
 * Joins requests with their responses. Ids are only unique per session and per asking side, and are reused once
 * answered, so open requests are kept per session (per server for Switchboard's own, session-less traffic), per
 * side, keyed by the id itself: a Map tells 1 from "1" without building a key string per frame. Requests never
 * answered (cancelled, timed out) are evicted oldest first past `maxPerSession`; sessions past `maxSessions`.
 */
export class RequestPairs {
  private readonly bySession = new Map<string, OpenRequests>();
  private readonly byServer = new Map<string, OpenRequests>();

  constructor(
    private readonly maxPerSession = 1000,
    private readonly maxSessions = 10_000,
  ) {}

  /** For a row about to be kept: its pairKey (the seq of the request row). */
  keyFor(f: FrameEvent, seq: number): number | null {
    if (f.kind === 'notification' || f.clientId === undefined || f.clientId === null) return null;
    const open = f.session === null ? this.openOf(this.byServer, f.server) : this.openOf(this.bySession, f.session);
    // A client's request goes up and its answer comes down; a server's request goes down and its answer up.
    const ids = (f.kind === 'request') === (f.direction === 'up') ? open.byClient : open.byServer;
    if (f.kind === 'request') {
      ids.delete(f.clientId); // a reused id: the newer request wins
      ids.set(f.clientId, seq);
      if (ids.size > this.maxPerSession) ids.delete(ids.keys().next().value!);
      return seq;
    }
    const requestSeq = ids.get(f.clientId);
    if (requestSeq === undefined) return null;
    ids.delete(f.clientId);
    return requestSeq;
  }

  forgetSession(session: string): void {
    this.bySession.delete(session);
  }

  clear(): void {
    this.bySession.clear();
    this.byServer.clear();
  }

  private openOf(owners: Map<string, OpenRequests>, key: string): OpenRequests {
    let open = owners.get(key);
    if (!open) {
      open = { byClient: new Map(), byServer: new Map() };
      owners.set(key, open);
      if (owners.size > this.maxSessions) owners.delete(owners.keys().next().value!);
    }
    return open;
  }
}
