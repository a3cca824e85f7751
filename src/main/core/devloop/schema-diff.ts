/**
 * What changed in a server's interface between two runs: tools, resources, resource templates and prompts, each
 * added, removed or changed, with one readable line per change. Pure: snapshots in, a diff out.
 */

type Json = Record<string, unknown>;

/** Everything a server lists, all pages, as it listed it. */
export interface SchemaSnapshot {
  tools: Json[];
  resources: Json[];
  resourceTemplates: Json[];
  prompts: Json[];
}

export type ItemKind = 'tool' | 'resource' | 'resourceTemplate' | 'prompt';

export interface SchemaChange {
  kind: ItemKind;
  /** The tool or prompt name, the resource URI, the template's URI template. */
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** For 'changed': one line per difference, e.g. `input.count: retyped string → number`. */
  details: string[];
}

export const emptySnapshot: SchemaSnapshot = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

const keyOf: Record<ItemKind, string> = {
  tool: 'name',
  resource: 'uri',
  resourceTemplate: 'uriTemplate',
  prompt: 'name',
};
const listOf: Record<ItemKind, keyof SchemaSnapshot> = {
  tool: 'tools',
  resource: 'resources',
  resourceTemplate: 'resourceTemplates',
  prompt: 'prompts',
};
/** Plain fields compared as a whole, per kind; schemas, annotations and arguments get a finer look. */
const plainFields: Record<ItemKind, string[]> = {
  tool: ['title', 'description'],
  resource: ['name', 'title', 'description', 'mimeType', 'size'],
  resourceTemplate: ['name', 'title', 'description', 'mimeType'],
  prompt: ['title', 'description'],
};

export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const kind of Object.keys(keyOf) as ItemKind[]) {
    const old = index(before[listOf[kind]] ?? [], keyOf[kind]);
    const now = index(after[listOf[kind]] ?? [], keyOf[kind]);
    for (const [name, item] of now) {
      const prev = old.get(name);
      if (!prev) changes.push({ kind, name, change: 'added', details: [] });
      else {
        const details = diffItem(kind, prev, item);
        if (details.length > 0) changes.push({ kind, name, change: 'changed', details });
      }
    }
    for (const name of old.keys()) if (!now.has(name)) changes.push({ kind, name, change: 'removed', details: [] });
  }
  return changes;
}

function index(items: Json[], key: string): Map<string, Json> {
  return new Map(items.filter((i) => typeof i?.[key] === 'string').map((i) => [i[key] as string, i]));
}

function diffItem(kind: ItemKind, a: Json, b: Json): string[] {
  const out: string[] = [];
  for (const field of plainFields[kind]) {
    if (!same(a[field], b[field])) out.push(`${field}: ${show(a[field])} → ${show(b[field])}`);
  }
  if (kind === 'tool') {
    diffFlat('annotations', asObject(a.annotations), asObject(b.annotations), out);
    diffSchema('input', asObject(a.inputSchema), asObject(b.inputSchema), out);
    if (a.outputSchema === undefined && b.outputSchema !== undefined) out.push('output schema added');
    else if (a.outputSchema !== undefined && b.outputSchema === undefined) out.push('output schema removed');
    else diffSchema('output', asObject(a.outputSchema), asObject(b.outputSchema), out);
  }
  if (kind === 'prompt') diffArguments(a.arguments, b.arguments, out);
  return out;
}

function diffFlat(label: string, a: Json, b: Json, out: string[]): void {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!same(a[key], b[key])) out.push(`${label}.${key}: ${show(a[key])} → ${show(b[key])}`);
  }
}

/** Property by property, into nested objects and array items: added, removed, retyped, required or optional. */
function diffSchema(path: string, a: Json, b: Json, out: string[]): void {
  if (!same(typeOf(a), typeOf(b))) out.push(`${path}: retyped ${typeOf(a)} → ${typeOf(b)}`);
  for (const field of ['description', 'enum', 'const', 'format', 'default']) {
    if (!same(a[field], b[field])) out.push(`${path}: ${field} ${show(a[field])} → ${show(b[field])}`);
  }
  const pa = asObject(a.properties);
  const pb = asObject(b.properties);
  const ra = new Set(Array.isArray(a.required) ? (a.required as string[]) : []);
  const rb = new Set(Array.isArray(b.required) ? (b.required as string[]) : []);
  for (const key of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
    const at = `${path}.${key}`;
    if (!(key in pa)) out.push(`${at}: added (${typeOf(asObject(pb[key]))}${rb.has(key) ? ', required' : ''})`);
    else if (!(key in pb)) out.push(`${at}: removed`);
    else {
      if (!ra.has(key) && rb.has(key)) out.push(`${at}: made required`);
      if (ra.has(key) && !rb.has(key)) out.push(`${at}: made optional`);
      diffSchema(at, asObject(pa[key]), asObject(pb[key]), out);
    }
  }
  if (a.items !== undefined || b.items !== undefined)
    diffSchema(`${path}[]`, asObject(a.items), asObject(b.items), out);
}

function diffArguments(a: unknown, b: unknown, out: string[]): void {
  const args = (v: unknown) => new Map((Array.isArray(v) ? (v as Json[]) : []).map((x) => [String(x.name), x]));
  const old = args(a);
  const now = args(b);
  for (const [name, arg] of now) {
    const prev = old.get(name);
    if (!prev) out.push(`argument ${name}: added${arg.required ? ' (required)' : ''}`);
    else {
      if (!prev.required && arg.required) out.push(`argument ${name}: made required`);
      if (prev.required && !arg.required) out.push(`argument ${name}: made optional`);
      if (!same(prev.description, arg.description))
        out.push(`argument ${name}: description ${show(prev.description)} → ${show(arg.description)}`);
    }
  }
  for (const name of old.keys()) if (!now.has(name)) out.push(`argument ${name}: removed`);
}

function typeOf(schema: Json): string {
  const t = schema.type;
  if (Array.isArray(t)) return t.join('|');
  if (typeof t === 'string') return t;
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return 'union';
  if (schema.$ref !== undefined) return 'ref';
  return 'any';
}

function asObject(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

/** Structural equality that ignores key order (servers often rebuild objects in another order). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ka = Object.keys(a as Json).filter((k) => (a as Json)[k] !== undefined);
  const kb = Object.keys(b as Json).filter((k) => (b as Json)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Json)[k], (b as Json)[k]));
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const labels: Record<ItemKind, string> = {
  tool: 'tool',
  resource: 'resource',
  resourceTemplate: 'resource template',
  prompt: 'prompt',
};
const signs = { added: '+', removed: '-', changed: '~' } as const;

/** The diff as the CLI prints it: `+ tool add`, `~ tool echo` with indented details; "no changes" when empty. */
export function formatChanges(changes: SchemaChange[]): string {
  if (changes.length === 0) return '  no changes\n';
  return changes
    .map((c) => [`  ${signs[c.change]} ${labels[c.kind]} ${c.name}`, ...c.details.map((d) => `      ${d}`)].join('\n'))
    .join('\n')
    .concat('\n');
}
