import { describe, expect, it } from 'vitest';
import { JsonTextError, MAX_JSON_DEPTH, describeId, readJson, writeJson } from './json-text.js';

describe('readJson / writeJson', () => {
  it('returns a 30-digit integer id byte-identical (R9)', () => {
    const text = '{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}';
    const msg = readJson(text) as { id: unknown };
    expect(typeof msg.id).toBe('string');
    expect(writeJson({ jsonrpc: '2.0', id: msg.id, result: {} })).toBe(
      '{"jsonrpc":"2.0","id":123456789012345678901234567890,"result":{}}',
    );
    expect(describeId(msg.id)).toBe('123456789012345678901234567890');
  });

  it('keeps ordinary ids as they are, and exact forms such as 1.0 and 1e3', () => {
    expect((readJson('{"id":42,"method":"x","jsonrpc":"2.0"}') as { id: unknown }).id).toBe(42);
    expect((readJson('{"id":"42","method":"x","jsonrpc":"2.0"}') as { id: unknown }).id).toBe('42');
    for (const raw of ['1.0', '1e3', '-0', '9007199254740993']) {
      const msg = readJson(`{"jsonrpc":"2.0","method":"x","id":${raw}}`) as { id: unknown };
      expect(writeJson({ id: msg.id })).toBe(`{"id":${raw}}`);
    }
  });

  it('finds ids in each batch entry, and not ids nested in params', () => {
    const text =
      '[{"jsonrpc":"2.0","method":"a","params":{"id":123456789012345678901234567890},"id":1},' +
      '{"jsonrpc":"2.0","method":"b","id":98765432109876543210987654321}]';
    const [a, b] = readJson(text) as Array<{ id: unknown; params?: { id: unknown } }>;
    expect(a!.id).toBe(1);
    expect(typeof a!.params!.id).toBe('number');
    expect(writeJson(b!.id)).toBe('98765432109876543210987654321');
  });

  it('ignores "id" text inside strings', () => {
    const msg = readJson('{"jsonrpc":"2.0","method":"x","params":{"s":"\\"id\\":1e400"},"id":7}') as {
      id: unknown;
      params: { s: string };
    };
    expect(msg.id).toBe(7);
    expect(msg.params.s).toBe('"id":1e400');
  });

  it('refuses nesting past the limit before parsing, and accepts it at the limit', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(() => readJson(deep(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => readJson(deep(MAX_JSON_DEPTH + 1))).toThrow(JsonTextError);
    try {
      readJson(`{"a":${deep(10_000)}}`);
      expect.unreachable();
    } catch (err) {
      expect((err as JsonTextError).kind).toBe('depth');
    }
  });

  it('reports malformed JSON as a parse error', () => {
    expect(() => readJson('{"jsonrpc":')).toThrow(/Parse error/);
  });
});
