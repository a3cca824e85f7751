import { Validator, type Schema as CfSchema } from '@cfworker/json-schema';

/**
 * A form for a JSON Schema (a tool's `inputSchema`, an elicitation's `requestedSchema`): a tree of nodes, with
 * nested objects and arrays (of objects too) that the user can add to and remove from, and the value built back
 * from what was typed. Validation is the schema's own, by @cfworker/json-schema: a maintained validator that
 * interprets the schema instead of compiling it with `new Function`, so it runs under the dashboard's CSP
 * (`script-src 'self'`, where ajv cannot compile). Pure: SchemaForm.tsx renders the nodes and keeps the values.
 */

export type PrimitiveKind = 'string' | 'number' | 'integer' | 'boolean';

interface NodeBase {
  label: string;
  description?: string;
  default?: unknown;
}

export type SchemaNode =
  | (NodeBase & { kind: PrimitiveKind; multiline?: boolean; format?: string })
  /** Each allowed value JSON-encoded, so numbers and strings stay apart. */
  | (NodeBase & { kind: 'enum'; options: string[] })
  | (NodeBase & { kind: 'object'; fields: SchemaField[] })
  | (NodeBase & { kind: 'array'; item: SchemaNode })
  /** Anything the form cannot draw (unions, refs, free-form objects): JSON text. */
  | (NodeBase & { kind: 'json' });

export type SchemaField = SchemaNode & { name: string; required: boolean };

/** Text for primitives, enums and JSON ('true' | 'false' | '' for booleans); objects and arrays nest. */
export type FormValue = string | FormValue[] | { [name: string]: FormValue };
export type FieldValues = Record<string, FormValue>;

type Schema = Record<string, unknown>;
const MAX_DEPTH = 5;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ type: ['string', 'null'] }`, `anyOf: [{type: 'string'}, {type: 'null'}]` → the non-null schema. */
function unwrapNullable(schema: Schema): Schema {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const nonNull = options.filter((o) => isSchema(o) && o.type !== 'null');
      if (nonNull.length === 1) return { ...(nonNull[0] as Schema), description: schema.description };
    }
  }
  return schema;
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  if (isSchema(schema.properties)) return 'object';
  return undefined;
}

/** The node for one schema; `name` suggests prose fields (a textarea) and is the fallback label. */
export function nodeFor(raw: unknown, name = '', depth = 0): SchemaNode {
  const schema = unwrapNullable(isSchema(raw) ? raw : {});
  const base: NodeBase = {
    label: typeof schema.title === 'string' && schema.title ? schema.title : name,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    ...('default' in schema ? { default: schema.default } : {}),
  };
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : null;
  if (values && values.every((v) => ['string', 'number', 'boolean'].includes(typeof v) || v === null)) {
    return { ...base, kind: 'enum', options: values.map((v) => JSON.stringify(v)) };
  }
  const type = typeOf(schema);
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') {
    const long =
      (typeof schema.maxLength === 'number' && schema.maxLength > 200) ||
      /^(text|content|body|prompt|query)$/i.test(name);
    return {
      ...base,
      kind: type,
      ...(type === 'string' && long ? { multiline: true } : {}),
      ...(typeof schema.format === 'string' ? { format: schema.format } : {}),
    };
  }
  if (depth < MAX_DEPTH && type === 'object' && isSchema(schema.properties)) {
    return { ...base, kind: 'object', fields: fieldsOf(schema, depth + 1) };
  }
  if (depth < MAX_DEPTH && type === 'array' && isSchema(schema.items)) {
    return { ...base, kind: 'array', item: nodeFor(schema.items, 'item', depth + 1) };
  }
  return { ...base, kind: 'json' };
}

function fieldsOf(schema: Schema, depth: number): SchemaField[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : []);
  const props = isSchema(schema.properties) ? schema.properties : {};
  const fields = Object.entries(props).map(([name, prop]) => ({
    ...nodeFor(prop, name, depth),
    name,
    required: required.has(name),
  }));
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/** The fields of an object schema, required ones first, each group in the schema's own order. */
export function fieldsFromSchema(schema: unknown): SchemaField[] {
  return isSchema(schema) && isSchema(schema.properties) ? fieldsOf(schema, 1) : [];
}

/** A fresh value for a node: its default where there is one, else empty (a required boolean starts false). */
export function initialValue(node: SchemaNode, required = false, def: unknown = node.default): FormValue {
  switch (node.kind) {
    case 'object': {
      const given = isSchema(def) ? def : {};
      return Object.fromEntries(
        node.fields.map((f) => [f.name, initialValue(f, f.required, given[f.name] ?? f.default)]),
      );
    }
    case 'array':
      return Array.isArray(def) ? def.map((d) => initialValue(node.item, true, d)) : [];
    case 'json':
      return def === undefined ? '' : JSON.stringify(def, null, 2);
    case 'enum':
      return def !== undefined ? JSON.stringify(def) : required ? (node.options[0] ?? '') : '';
    case 'boolean':
      return typeof def === 'boolean' ? String(def) : required ? 'false' : '';
    default:
      return def === undefined || def === null ? '' : String(def);
  }
}

export function initialValues(fields: SchemaField[]): FieldValues {
  return Object.fromEntries(fields.map((f) => [f.name, initialValue(f, f.required)]));
}

/** Problems keyed by path: field names and item indexes joined with '/' ("tags/0/name"). */
export type FormErrors = Record<string, string>;

function isEmpty(value: FormValue): boolean {
  if (typeof value === 'string') return value === '';
  if (Array.isArray(value)) return value.length === 0;
  return Object.values(value).every(isEmpty);
}

/** The typed text as JSON values; `undefined` leaves an empty optional field out. Only parse problems here. */
function build(node: SchemaNode, value: FormValue, required: boolean, path: string, errors: FormErrors): unknown {
  if (node.kind === 'object') {
    const given = isSchema(value) ? (value as Record<string, FormValue>) : {};
    if (!required && isEmpty(given as FormValue)) return undefined;
    const out: Record<string, unknown> = {};
    for (const f of node.fields) {
      const v = build(f, given[f.name] ?? '', f.required, join(path, f.name), errors);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  }
  if (node.kind === 'array') {
    const items = Array.isArray(value) ? value : [];
    if (!required && items.length === 0) return undefined;
    return items.map((item, i) => build(node.item, item, true, join(path, String(i)), errors) ?? null);
  }
  const text = typeof value === 'string' ? value : '';
  if (text === '') {
    // An empty required field is the one problem the validator cannot see once the field is left out.
    if (required) errors[path] = 'required';
    return undefined;
  }
  if (node.kind === 'string') return text;
  if (node.kind === 'enum') return JSON.parse(text) as unknown;
  if (node.kind === 'boolean') return text === 'true';
  if (node.kind === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      errors[path] = `not valid JSON: ${(err as Error).message}`;
      return undefined;
    }
  }
  const n = Number(text.trim());
  if (!Number.isFinite(n)) {
    errors[path] = `"${text}" is not a number`;
    return undefined;
  }
  return n;
}

const join = (path: string, key: string) => (path ? `${path}/${key}` : key);

// Keywords that only say "something below failed": the failure below is the one to show.
const WRAPPERS = new Set(['properties', 'items', 'prefixItems', 'allOf', '$ref', 'additionalItems', 'contains']);

/** The schema's own verdict on `value`, as messages keyed by the path of the field they concern. */
export function validateAgainst(schema: unknown, value: unknown): FormErrors {
  const errors: FormErrors = {};
  if (!isSchema(schema)) return errors;
  const draft = String(schema.$schema ?? '').includes('draft-07') ? '7' : '2020-12';
  let result;
  try {
    result = new Validator(schema as CfSchema, draft, false).validate(value);
  } catch (err) {
    return { '': `the schema could not be used: ${(err as Error).message}` };
  }
  for (const unit of result.errors) {
    if (WRAPPERS.has(unit.keyword)) continue;
    let path = unit.instanceLocation.replace(/^#\/?/, '');
    let message = unit.error;
    const missing = unit.keyword === 'required' ? /property "([^"]+)"/.exec(unit.error)?.[1] : undefined;
    if (missing !== undefined) {
      path = join(path, missing);
      message = 'required';
    }
    path = path.split('/').map(decodeURIComponent).join('/');
    errors[path] ??= message;
  }
  return errors;
}

/** The arguments object, or the problems keyed by path (parse problems first, then the schema's). */
export function argsFromValues(
  schema: unknown,
  fields: SchemaField[],
  values: FieldValues,
): { ok: true; args: Record<string, unknown> } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const args: Record<string, unknown> = {};
  for (const f of fields) {
    const v = build(f, values[f.name] ?? '', f.required, f.name, errors);
    if (v !== undefined) args[f.name] = v;
  }
  // Fields that did not parse are left out; their own message stays the one shown.
  for (const [path, message] of Object.entries(validateAgainst(schema, args))) errors[path] ??= message;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, args };
}
