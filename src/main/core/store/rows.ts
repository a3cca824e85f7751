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

/** The payload is cut at `maxPayloadChars`; `size` keeps the full length, so a reader can tell it was cut. */
export function toTrafficRow(frame: FrameEvent, maxPayloadChars: number): TrafficRow {
  const id = frame.clientId;
  return {
    table: 'traffic',
    time: frame.time,
    server: frame.server,
    session: frame.session,
    clientName: frame.clientName ?? null,
    direction: frame.direction,
    kind: frame.kind,
    method: frame.method ?? null,
    clientId: typeof id === 'string' || typeof id === 'number' ? id : null,
    isError: frame.isError ? 1 : 0,
    latencyMs: frame.latencyMs ?? null,
    size: frame.size,
    payload: frame.payload.length > maxPayloadChars ? frame.payload.slice(0, maxPayloadChars) : frame.payload,
  };
}

/** A row the traffic recorder already redacted and capped; cut again only if this store keeps less. */
export function fromRecorded(r: RecordedRow, maxPayloadChars: number): TrafficRow {
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
