import type { LooseJson } from '../loose-json.js';
type Schema = LooseJson;

/**
 * Arguments for calling a tool, made from its input schema: every required property with the simplest value its
 * schema allows (const, then default, then the first example or enum value, then a value of its type within its
 * bounds). Optional properties are left out: the smallest valid call is the one least likely to have effects.
 */
export function sampleArguments(schema: unknown): Record<string, unknown> {
  const value = sampleValue(asSchema(schema), 0);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function sampleValue(s: Schema, depth: number): unknown {
  if (depth > 8) return null;
  if ('const' in s) return s.const;
  if ('default' in s) return s.default;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key]) && s[key].length > 0) return sampleValue(asSchema(s[key][0]), depth + 1);
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    return sampleValue(Object.assign({}, ...s.allOf.map(asSchema)), depth + 1);
  }
  const type = Array.isArray(s.type) ? (s.type.find((t: string) => t !== 'null') ?? s.type[0]) : s.type;
  switch (type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number': {
      const min =
        typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 0;
      const n = type === 'integer' ? Math.ceil(min) : min;
      return typeof s.maximum === 'number' && n > s.maximum ? s.maximum : n;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const count = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: count }, () => sampleValue(asSchema(s.items), depth + 1));
    }
    case 'object':
    case undefined: {
      const out: Record<string, unknown> = {};
      const props = asSchema(s.properties);
      for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
        out[key] = sampleValue(asSchema(props[key]), depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

function sampleString(s: Schema): string {
  const formats: Record<string, string> = {
    uri: 'https://example.com/',
    email: 'someone@example.com',
    'date-time': '2025-01-01T00:00:00Z',
    date: '2025-01-01',
    uuid: '00000000-0000-4000-8000-000000000000',
  };
  const base = formats[s.format] ?? 'example';
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const text = base.length >= min ? base : base.padEnd(min, 'x');
  return typeof s.maxLength === 'number' ? text.slice(0, s.maxLength) : text;
}

function asSchema(v: unknown): Schema {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : {};
}
