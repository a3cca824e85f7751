import type { FrameEvent } from '../telemetry/frame.js';
import type { TrafficRow as RecordedRow } from '../telemetry/traffic-row.js';
import type { LogRecord } from '../util/logger.js';

/**
 * Rows as the writer queue holds them: flat, already-serialized values, so a batch is cheap to copy to the writer
 * thread and cannot fail to clone (a `fields` object with a function in it is stringified here, not there).
 */
export interface LogRow {
  table: 'logs';
  time: number;
  level: string;
  source: string;
  server: string | null;
  message: string;
  fields: string | null;
}

export interface TrafficRow {
  table: 'traffic';
  time: number;
  server: string;
  session: string | null;
  clientName: string | null;
  direction: string;
  kind: string;
  method: string | null;
  clientId: string | number | null;
  isError: 0 | 1;
  latencyMs: number | null;
  size: number;
  payload: string;
}

export type WriterRow = LogRow | TrafficRow;

/** A log line to store: an engine LogRecord, optionally tagged with the server it is about. */
export type LogEntry = LogRecord & { server?: string | null };

function fieldsJson(fields: Record<string, unknown> | undefined): string | null {
  if (!fields || Object.keys(fields).length === 0) return null;
  try {
    return JSON.stringify(fields);
  } catch {
    return JSON.stringify({ unserializable: Object.keys(fields) });
  }
}

export function toLogRow(entry: LogEntry): LogRow {
  return {
    table: 'logs',
    time: entry.time,
    level: entry.level,
    source: entry.source,
    server: entry.server ?? null,
    message: entry.message,
    fields: fieldsJson(entry.fields),
  };
}

/** The fields of a recorded row the store keeps (the recorder's seq, pairKey and truncated flag it does not). */
type StoredFields = Omit<RecordedRow, 'seq' | 'pairKey' | 'truncated'>;

/** A frame straight from a router; the payload is cut at `maxPayloadChars`, `size` keeps the full length. */
export function toTrafficRow(frame: FrameEvent, maxPayloadChars: number): TrafficRow {
  return fromRecorded(
    {
      ...frame,
      clientName: frame.clientName ?? null,
      method: frame.method ?? null,
      id: frame.clientId ?? null,
      isError: frame.isError === true,
      latencyMs: frame.latencyMs ?? null,
    },
    maxPayloadChars,
  );
}

/** A row the traffic recorder already redacted and capped (the hot path); cut again only if this store keeps less. */
export function fromRecorded(r: StoredFields, maxPayloadChars: number): TrafficRow {
  const id = r.id;
  return {
    table: 'traffic',
    time: r.time,
    server: r.server,
    session: r.session,
    clientName: r.clientName,
    direction: r.direction,
    kind: r.kind,
    method: r.method,
    clientId: typeof id === 'string' || typeof id === 'number' ? id : null,
    isError: r.isError ? 1 : 0,
    latencyMs: r.latencyMs,
    size: r.size,
    payload: r.payload.length > maxPayloadChars ? r.payload.slice(0, maxPayloadChars) : r.payload,
  };
}
