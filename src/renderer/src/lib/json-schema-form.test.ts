import { describe, expect, it } from 'vitest';
import {
  argsFromValues,
  fieldsFromSchema,
  initialValues,
  validateAgainst,
  type FormValue,
} from './json-schema-form.js';

const schema = {
  type: 'object',
  properties: {
    note: { type: 'string', description: 'optional note' },
    message: { type: 'string', description: 'Message to echo' },
    count: { type: 'integer', default: 3 },
    ratio: { type: ['number', 'null'] },
    loud: { type: 'boolean' },
    color: { enum: ['red', 'green', 1] },
    tags: { type: 'array', items: { type: 'string' } },
    sizes: { type: 'array', items: { type: 'number' } },
    options: { type: 'object', properties: { a: { type: 'string' } } },
    maybe: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    free: { type: 'object', additionalProperties: true },
  },
  required: ['message', 'loud'],
};

const entities = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    entities: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 2 },
          observations: { type: 'array', items: { type: 'string' } },
          kind: { enum: ['person', 'place'] },
        },
        required: ['name', 'kind'],
      },
    },
  },
  required: ['entities'],
};

describe('fieldsFromSchema', () => {
  it('makes one field per property, required first, nesting objects and arrays', () => {
    const fields = fieldsFromSchema(schema);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['message', 'string', true],
      ['loud', 'boolean', true],
      ['note', 'string', false],
      ['count', 'integer', false],
      ['ratio', 'number', false],
      ['color', 'enum', false],
      ['tags', 'array', false],
      ['sizes', 'array', false],
      ['options', 'object', false],
      ['maybe', 'integer', false],
      ['free', 'json', false],
    ]);
    const color = fields.find((f) => f.name === 'color')!;
    expect(color.kind === 'enum' && color.options).toEqual(['"red"', '"green"', '1']);
    const [list] = fieldsFromSchema(entities);
    expect(list!.kind).toBe('array');
    const item = list!.kind === 'array' ? list!.item : null;
    expect(item?.kind === 'object' && item.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['name', 'string', true],
      ['kind', 'enum', true],
      ['observations', 'array', false],
    ]);
  });

  it('returns no fields for a schema without properties', () => {
    expect(fieldsFromSchema({ type: 'object' })).toEqual([]);
    expect(fieldsFromSchema(null)).toEqual([]);
  });
});

describe('argsFromValues', () => {
  const fields = fieldsFromSchema(schema);

  it('starts from defaults and leaves empty optional fields out', () => {
    const values = initialValues(fields);
    expect(values.count).toBe('3');
    expect(values.loud).toBe('false');
    values.message = 'hi';
    expect(argsFromValues(schema, fields, values)).toEqual({
      ok: true,
      args: { message: 'hi', loud: false, count: 3 },
    });
  });

  it('builds every kind', () => {
    const values = {
      ...initialValues(fields),
      message: 'hello',
      loud: 'true',
      ratio: '0.5',
      color: '1',
      tags: ['a', 'b'],
      sizes: ['1.5', '2'],
      options: { a: 'x' },
      maybe: '7',
      free: '{"k": [1]}',
    };
    expect(argsFromValues(schema, fields, values)).toEqual({
      ok: true,
      args: {
        message: 'hello',
        loud: true,
        count: 3,
        ratio: 0.5,
        color: 1,
        tags: ['a', 'b'],
        sizes: [1.5, 2],
        options: { a: 'x' },
        maybe: 7,
        free: { k: [1] },
      },
    });
  });

  it('names every problem by its path: parse problems and the schema validator’s', () => {
    const values = { ...initialValues(fields), count: '2.5', sizes: ['x'], free: '{oops' };
    const result = argsFromValues(schema, fields, values);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.message).toBe('required');
    expect(result.errors.count).toMatch(/integer/);
    expect(result.errors['sizes/0']).toBe('"x" is not a number');
    expect(result.errors.free).toMatch(/^not valid JSON/);
  });

  it('builds and validates an array of objects, item by item', () => {
    const f = fieldsFromSchema(entities);
    const values: Record<string, FormValue> = {
      entities: [
        { name: 'Ada', kind: '"person"', observations: ['wrote notes'] },
        { name: 'L', kind: '"place"', observations: [] },
      ],
    };
    const bad = argsFromValues(entities, f, values);
    expect(bad).toEqual({ ok: false, errors: { 'entities/1/name': expect.stringMatching(/too short/) } });
    (values.entities as Array<Record<string, FormValue>>)[1]!.name = 'London';
    expect(argsFromValues(entities, f, values)).toEqual({
      ok: true,
      args: {
        entities: [
          { name: 'Ada', kind: 'person', observations: ['wrote notes'] },
          { name: 'London', kind: 'place' },
        ],
      },
    });
    expect(argsFromValues(entities, f, { entities: [] })).toEqual({ ok: true, args: { entities: [] } });
    const missing = argsFromValues(entities, f, { entities: [{ name: '', kind: '"person"', observations: [] }] });
    expect(missing.ok === false && missing.errors['entities/0/name']).toBe('required');
  });
});

describe('validateAgainst', () => {
  it('reports formats and missing properties where they belong', () => {
    const errors = validateAgainst(
      { type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['name'] },
      { email: 'nope' },
    );
    expect(errors).toEqual({ email: expect.stringMatching(/email/), name: 'required' });
  });
});
