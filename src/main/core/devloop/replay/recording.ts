import type { LooseJson } from '../loose-json.js';

/** One client request of a recording with the answer the server gave then. */
export interface RecordedExchange {
  /** The row's `seq` in the export, to point at it. */
  seq: number;
  method: string;
  params: LooseJson;
  /** The recorded response message; null when none was recorded (cancelled, timed out, or cut off). */
  response: LooseJson | null;
  /** Why `response` is null, when it is. */
  missing?: string;
}

export interface Recording {
  server: string;
  /** What Switchboard's own `initialize` sent, to start the replayed server the same way. */
  initializeParams: LooseJson | null;
  exchanges: RecordedExchange[];
}

export class RecordingError extends Error {}

interface Row {
  seq: number;
  direction: 'up' | 'down';
  server: string;
  session: string | null;
  kind: 'request' | 'notification' | 'response';
  method: string | null;
  pairKey: number | null;
  payload: string;
  truncated?: boolean;
}

/**
 * Reads a traffic export (JSON Lines, one TrafficRow each; docs/replay.md) into the client requests to replay,
 * in order, each with its recorded response. Switchboard's own health pings and the handshake are left out.
 */
export function readRecording(text: string, server?: string): Recording {
  const rows: Row[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: Row;
    try {
      row = JSON.parse(line) as Row;
    } catch (err) {
      throw new RecordingError(`line ${i + 1} is not JSON: ${(err as Error).message}`);
    }
    if (typeof row?.seq !== 'number' || typeof row.payload !== 'string' || typeof row.server !== 'string') {
      throw new RecordingError(`line ${i + 1} is not a traffic row (seq, server, direction, kind, payload)`);
    }
    rows.push(row);
  });
  const servers = [...new Set(rows.map((r) => r.server))];
  if (servers.length === 0) throw new RecordingError('the recording holds no traffic');
  if (server !== undefined && !servers.includes(server))
    throw new RecordingError(`the recording holds no traffic of "${server}" (it has ${servers.join(', ')})`);
  if (server === undefined && servers.length > 1)
    throw new RecordingError(`the recording holds several servers (${servers.join(', ')}): pick one with --server`);
  const chosen = server ?? servers[0]!;
  const mine = rows.filter((r) => r.server === chosen);

  const responses = new Map<number, Row>();
  for (const r of mine)
    if (r.direction === 'down' && r.kind === 'response' && r.pairKey !== null) responses.set(r.pairKey, r);
  let initializeParams: LooseJson | null = null;
  const exchanges: RecordedExchange[] = [];
  for (const r of mine) {
    if (r.direction !== 'up' || r.kind !== 'request' || r.method === null) continue;
    if (r.truncated)
      throw new RecordingError(`request #${r.seq} (${r.method}) was cut when recorded: it cannot be replayed`);
    const msg = JSON.parse(r.payload) as LooseJson;
    if (r.method === 'initialize') {
      initializeParams ??= msg.params ?? {};
      continue;
    }
    if (r.session === null && r.method === 'ping') continue; // Switchboard's health checks, not the client's
    const answer = responses.get(r.seq);
    const exchange: RecordedExchange = { seq: r.seq, method: r.method, params: msg.params ?? {}, response: null };
    if (!answer) exchange.missing = 'no response was recorded';
    else if (answer.truncated) exchange.missing = 'the recorded response was cut (over the payload cap)';
    else exchange.response = JSON.parse(answer.payload) as LooseJson;
    exchanges.push(exchange);
  }
  return { server: chosen, initializeParams, exchanges };
}
