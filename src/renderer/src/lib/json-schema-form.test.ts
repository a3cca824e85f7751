import { describe, expect, it } from 'vitest';
import { argsFromValues, fieldsFromSchema, initialValues } from './json-schema-form.js';

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
  },
  required: ['message', 'loud'],
};

describe('fieldsFromSchema', () => {
  it('makes one field per property, required first, with kinds', () => {
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
      ['options', 'json', false],
      ['maybe', 'integer', false],
    ]);
    expect(fields.find((f) => f.name === 'color')!.options).toEqual(['"red"', '"green"', '1']);
    expect(fields.find((f) => f.name === 'sizes')!.itemKind).toBe('number');
  });

  it('returns no fields for a schema without properties', () => {
    expect(fieldsFromSchema({ type: 'object' })).toEqual([]);
    expect(fieldsFromSchema(null)).toEqual([]);
  });
});

describe('argsFromValues', () => {
  const fields = fieldsFromSchema(schema);

  it('starts from defaults and leaves empty optional fields out', () => {
    const values = initialValues(schema, fields);
    expect(values.count).toBe('3');
    expect(values.loud).toBe('false');
    values.message = 'hi';
    expect(argsFromValues(fields, values)).toEqual({ ok: true, args: { message: 'hi', loud: false, count: 3 } });
  });

  it('coerces every kind', () => {
    const values = {
      ...initialValues(schema, fields),
      message: 'hello',
      loud: 'true',
      ratio: '0.5',
      color: '1',
      tags: ['a', '', 'b'],
      sizes: ['1.5', '2'],
      options: '{"a": "x"}',
      maybe: '7',
    };
    const result = argsFromValues(fields, values);
    expect(result).toEqual({
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
      },
    });
  });

  it('names every problem', () => {
    const values = { ...initialValues(schema, fields), count: '2.5', sizes: ['x'], options: '{oops' };
    const result = argsFromValues(fields, values);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.message).toBe('message is required');
    expect(result.errors.count).toBe('count: 2.5 is not a whole number');
    expect(result.errors.sizes).toBe('sizes: item 1: "x" is not a number');
    expect(result.errors.options).toMatch(/^options: not valid JSON/);
  });
});
