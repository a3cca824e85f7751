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
  payloads: string[];
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
    i++;
  }
  return { logs, traffic: { count, numbers, flags, nameRefs, names, clientIds, payloads } };
}

/** The traffic rows of a packed batch, in order; `row` is reused between calls (the writer binds it at once). */
export function forEachTrafficRow(p: PackedTraffic, fn: (row: TrafficRow) => void): void {
  const row: TrafficRow = {
    table: 'traffic',
    time: 0,
    server: '',
    session: null,
    clientName: null,
    direction: 'up',
    kind: 'request',
    method: null,
    clientId: null,
    isError: 0,
    latencyMs: null,
    size: 0,
    payload: '',
  };
  for (let i = 0; i < p.count; i++) {
    const latency = p.numbers[i * NUMBERS + 1]!;
    const f = p.flags[i]!;
    row.time = p.numbers[i * NUMBERS]!;
    row.latencyMs = Number.isNaN(latency) ? null : latency;
    row.size = p.numbers[i * NUMBERS + 2]!;
    row.direction = f & 1 ? 'down' : 'up';
    row.isError = f & 2 ? 1 : 0;
    row.kind = KINDS[f >> 2] ?? 'request';
    row.server = p.names[p.nameRefs[i * REFS]!] ?? '';
    row.session = p.names[p.nameRefs[i * REFS + 1]!] ?? null;
    row.clientName = p.names[p.nameRefs[i * REFS + 2]!] ?? null;
    row.method = p.names[p.nameRefs[i * REFS + 3]!] ?? null;
    row.clientId = p.clientIds[i] ?? null;
    row.payload = p.payloads[i]!;
    fn(row);
  }
}

export function rowCount(p: PackedRows): number {
  return p.logs.length + p.traffic.count;
}
