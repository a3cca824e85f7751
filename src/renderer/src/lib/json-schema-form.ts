/**
 * A form for a tool's `inputSchema` (JSON Schema): one field per top-level property, and the tool-call arguments
 * built back from what the user typed. Pure: the React form renders `SchemaField`s and keeps `FieldValues`.
 */

export type PrimitiveKind = 'string' | 'number' | 'integer' | 'boolean';
export type FieldKind = PrimitiveKind | 'enum' | 'array' | 'json';

export interface SchemaField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** `enum`: each allowed value, JSON-encoded so numbers and strings stay apart. */
  options?: string[];
  /** `array`: the kind of each item. */
  itemKind?: PrimitiveKind;
  /** A long string (`format`, `maxLength` > 200, or a name that suggests prose) gets a textarea. */
  multiline?: boolean;
}

/** string for text inputs, selects and JSON; 'true' | 'false' | '' for booleans; string[] for list editors. */
export type FieldValue = string | string[];
export type FieldValues = Record<string, FieldValue>;

type Schema = Record<string, unknown>;

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
  return undefined;
}

function primitive(type: string | undefined): PrimitiveKind | undefined {
  return type === 'string' || type === 'number' || type === 'integer' || type === 'boolean' ? type : undefined;
}

function fieldFor(name: string, raw: unknown, required: boolean): SchemaField {
  const schema = unwrapNullable(isSchema(raw) ? raw : {});
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const label = typeof schema.title === 'string' && schema.title ? schema.title : name;
  const base = { name, label, required, description };
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : null;
  if (values && values.every((v) => ['string', 'number', 'boolean'].includes(typeof v) || v === null)) {
    return { ...base, kind: 'enum', options: values.map((v) => JSON.stringify(v)) };
  }
  const type = typeOf(schema);
  const kind = primitive(type);
  if (kind) {
    const long =
      (typeof schema.maxLength === 'number' && schema.maxLength > 200) ||
      /^(text|content|body|prompt|query)$/i.test(name);
    return { ...base, kind, multiline: kind === 'string' && long ? true : undefined };
  }
  if (type === 'array' && isSchema(schema.items)) {
    const itemKind = primitive(typeOf(unwrapNullable(schema.items)));
    if (itemKind && !Array.isArray(schema.items.enum)) return { ...base, kind: 'array', itemKind };
  }
  return { ...base, kind: 'json' };
}

/** The fields of an object schema, required ones first, each group in the schema's own order. */
export function fieldsFromSchema(schema: unknown): SchemaField[] {
  if (!isSchema(schema) || !isSchema(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : []);
  const fields = Object.entries(schema.properties).map(([name, prop]) => fieldFor(name, prop, required.has(name)));
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/** Starting values: the schema's `default` where there is one, else empty. */
export function initialValues(schema: unknown, fields: SchemaField[]): FieldValues {
  const props = isSchema(schema) && isSchema(schema.properties) ? schema.properties : {};
  const values: FieldValues = {};
  for (const field of fields) {
    const prop = isSchema(props[field.name]) ? (props[field.name] as Schema) : {};
    const def = prop.default;
    switch (field.kind) {
      case 'array':
        values[field.name] = Array.isArray(def) ? def.map(String) : [];
        break;
      case 'json':
        values[field.name] = def === undefined ? '' : JSON.stringify(def, null, 2);
        break;
      case 'enum':
        values[field.name] = def !== undefined ? JSON.stringify(def) : field.required ? (field.options?.[0] ?? '') : '';
        break;
      case 'boolean':
        values[field.name] = typeof def === 'boolean' ? String(def) : field.required ? 'false' : '';
        break;
      default:
        values[field.name] = def === undefined || def === null ? '' : String(def);
    }
  }
  return values;
}

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

function coercePrimitive(kind: PrimitiveKind, text: string): Coerced {
  if (kind === 'string') return { ok: true, value: text };
  if (kind === 'boolean') {
    if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
    return { ok: false, message: 'must be true or false' };
  }
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) return { ok: false, message: `"${text}" is not a number` };
  if (kind === 'integer' && !Number.isInteger(n)) return { ok: false, message: `${text} is not a whole number` };
  return { ok: true, value: n };
}

function coerce(field: SchemaField, value: FieldValue): Coerced | null {
  if (field.kind === 'array') {
    const items = (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
    if (items.length === 0) return null;
    const out: unknown[] = [];
    for (const [i, item] of items.entries()) {
      const c = coercePrimitive(field.itemKind ?? 'string', item);
      if (!c.ok) return { ok: false, message: `item ${i + 1}: ${c.message}` };
      out.push(c.value);
    }
    return { ok: true, value: out };
  }
  const text = Array.isArray(value) ? value.join('\n') : value;
  if (text === '' && !(field.kind === 'string' && field.required)) return null;
  if (field.kind === 'enum') return { ok: true, value: JSON.parse(text) as unknown };
  if (field.kind === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (err) {
      return { ok: false, message: `not valid JSON: ${(err as Error).message}` };
    }
  }
  return coercePrimitive(field.kind, text);
}

/** The arguments object for `callTool`, or the problems keyed by field name. Empty optional fields are left out. */
export function argsFromValues(
  fields: SchemaField[],
  values: FieldValues,
): { ok: true; args: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name] ?? '';
    const empty = Array.isArray(value) ? value.every((v) => v === '') : value === '';
    if (field.required && empty && field.kind !== 'array') {
      errors[field.name] = `${field.label} is required`;
      continue;
    }
    const result = coerce(field, value);
    if (result === null) continue;
    if (result.ok) args[field.name] = result.value;
    else errors[field.name] = `${field.label}: ${result.message}`;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, args };
}
