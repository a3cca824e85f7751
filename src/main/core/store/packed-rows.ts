import type { LogRow, TrafficRow, WriterRow } from './rows.js';

/**
 * A batch of rows as it crosses to the writer thread. Copying an array of row objects costs V8 about 1.7 µs per
 * row (serialize and deserialize each object, property by property); traffic rows sent as columns cost about a
 * third of that: numbers in one typed array, direction, kind and the error flag in one byte, and the few distinct
 * servers, sessions, client names and methods of a batch each sent once. Logs are rare and stay objects.
 */
export interface PackedRows {
  logs: LogRow[];
  traffic: PackedTraffic;
}

export interface PackedTraffic {
  count: number;
  /** Per row: time, latencyMs (NaN for none), size. */
  numbers: Float64Array;
  /** Per row: bit 0 set = 'down', bit 1 = error, bits 2–3 = kind (index in KINDS). */
  flags: Uint8Array;
  /** Per row: server, session, client name, method, as indexes into `names` (0 = null). */
  nameRefs: Uint32Array;
  /** Index 0 stands for null. */
  names: Array<string | null>;
  clientIds: Array<string | number | null>;
  /**
   * Every payload, one after another, as one string; row i's ends at `payloadEnds[i]`. One string crosses to the
   * thread as one copy; 500 separate ones cost the serializer a lookup, a header and often a flattening each.
   */
  payloadText: string;
  payloadEnds: Uint32Array;
}

const KINDS = ['request', 'notification', 'response'] as const;
const NUMBERS = 3;
const REFS = 4;

export function packRows(rows: readonly WriterRow[]): PackedRows {
  const logs: LogRow[] = [];
  let count = 0;
  for (const r of rows) {
    if (r.table === 'logs') logs.push(r);
    else count++;
  }
  const numbers = new Float64Array(count * NUMBERS);
  const flags = new Uint8Array(count);
  const nameRefs = new Uint32Array(count * REFS);
  const names: Array<string | null> = [null];
  const index = new Map<string, number>();
  const ref = (name: string | null): number => {
    if (name === null) return 0;
    let i = index.get(name);
    if (i === undefined) {
      i = names.push(name) - 1;
      index.set(name, i);
    }
    return i;
  };
  const clientIds = new Array<string | number | null>(count);
  const payloads = new Array<string>(count);
  const payloadEnds = new Uint32Array(count);
  let end = 0;
  let i = 0;
  for (const r of rows) {
    if (r.table === 'logs') continue;
    numbers[i * NUMBERS] = r.time;
    numbers[i * NUMBERS + 1] = r.latencyMs ?? NaN;
    numbers[i * NUMBERS + 2] = r.size;
    flags[i] = (r.direction === 'down' ? 1 : 0) | (r.isError ? 2 : 0) | (KINDS.indexOf(r.kind as never) << 2);
    nameRefs[i * REFS] = ref(r.server);
    nameRefs[i * REFS + 1] = ref(r.session);
    nameRefs[i * REFS + 2] = ref(r.clientName);
    nameRefs[i * REFS + 3] = ref(r.method);
    clientIds[i] = r.clientId;
    payloads[i] = r.payload;
    payloadEnds[i] = end += r.payload.length;
    i++;
  }
  return {
    logs,
    traffic: { count, numbers, flags, nameRefs, names, clientIds, payloadText: payloads.join(''), payloadEnds },
  };
}

/** The traffic rows of a packed batch, in order, as row objects (the writer binds columns: fillTrafficParams). */
export function forEachTrafficRow(p: PackedTraffic, fn: (row: TrafficRow) => void): void {
  const v = new Array<unknown>(TRAFFIC_COLUMNS.length);
  for (let i = 0; i < p.count; i++) {
    fillTrafficParams(p, i, 1, v);
    fn({
      table: 'traffic',
      time: v[0] as number,
      server: v[1] as string,
      session: v[2] as string | null,
      clientName: v[3] as string | null,
      direction: v[4] as string,
      kind: v[5] as string,
      method: v[6] as string | null,
      clientId: v[7] as string | number | null,
      isError: v[8] as 0 | 1,
      latencyMs: v[9] as number | null,
      size: v[10] as number,
      payload: v[11] as string,
    });
  }
}

/** The INSERT column order `fillTrafficParams` writes in, one value per column and row. */
export const TRAFFIC_COLUMNS = [
  'time',
  'server',
  'session',
  'client_name',
  'direction',
  'kind',
  'method',
  'client_id',
  'is_error',
  'latency_ms',
  'size',
  'payload',
] as const;

/**
 * Writes rows `from` to `from + count - 1` of a packed batch into `out` as bind values in TRAFFIC_COLUMNS order,
 * row after row: what a multi-row INSERT binds, with no row object in between.
 */
export function fillTrafficParams(p: PackedTraffic, from: number, count: number, out: unknown[]): void {
  let o = 0;
  for (let i = from; i < from + count; i++) {
    const latency = p.numbers[i * NUMBERS + 1]!;
    const f = p.flags[i]!;
    out[o++] = p.numbers[i * NUMBERS]!;
    out[o++] = p.names[p.nameRefs[i * REFS]!] ?? '';
    out[o++] = p.names[p.nameRefs[i * REFS + 1]!] ?? null;
    out[o++] = p.names[p.nameRefs[i * REFS + 2]!] ?? null;
    out[o++] = f & 1 ? 'down' : 'up';
    out[o++] = KINDS[f >> 2] ?? 'request';
    out[o++] = p.names[p.nameRefs[i * REFS + 3]!] ?? null;
    out[o++] = p.clientIds[i] ?? null;
    out[o++] = f & 2 ? 1 : 0;
    out[o++] = Number.isNaN(latency) ? null : latency;
    out[o++] = p.numbers[i * NUMBERS + 2]!;
    out[o++] = p.payloadText.slice(i === 0 ? 0 : p.payloadEnds[i - 1], p.payloadEnds[i]);
  }
}

export function rowCount(p: PackedRows): number {
  return p.logs.length + p.traffic.count;
}
