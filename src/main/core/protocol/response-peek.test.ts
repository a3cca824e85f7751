import { describe, expect, it } from 'vitest';
import { peekResponse as peekBytes } from './response-peek.js';

/** The scan reads bytes (a child's stdout); the cases are easier to write as text. */
const peekResponse = (text: string) => peekBytes(Buffer.from(text));

const big = 'x'.repeat(70_000);

describe('peekResponse', () => {
  it('finds the id of a response whether it comes first or last, and whether it is an error', () => {
    const last = JSON.stringify({ result: { content: [{ type: 'text', text: big }] }, jsonrpc: '2.0', id: 41 });
    const p = peekResponse(last)!;
    expect(p).toMatchObject({ id: 41, isError: false });
    expect(last.slice(p.idStart, p.idEnd)).toBe('41');
    // Offsets are in bytes: text before the id with multi-byte characters moves them past the string index.
    const wide = JSON.stringify({ result: { text: 'é😀'.repeat(30_000) }, jsonrpc: '2.0', id: 42 });
    const w = peekResponse(wide)!;
    expect(Buffer.from(wide).toString('utf8', w.idStart, w.idEnd)).toBe('42');
    const first = JSON.stringify({ jsonrpc: '2.0', id: 7, error: { code: -1, message: big } });
    expect(peekResponse(first)).toMatchObject({ id: 7, isError: true });
  });

  it('accepts exactly what JSON.parse accepts among responses, escapes and nesting included', () => {
    const cases = [
      '{"jsonrpc":"2.0","id":1,"result":{"a":[1,-2.5e+3,true,false,null,{},[],"q\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"]}}',
      '{ "id" : 3 , "result" : [ ] , "jsonrpc" : "2.0" }',
      '{"id":4,"result":"ends with a backslash \\\\"}',
    ];
    for (const text of cases) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(peekResponse(text)).not.toBeNull();
    }
  });

  it('returns null for anything malformed, so the caller parses it the ordinary way and reports it', () => {
    const bad = [
      '{"id":1,"result":{"a":1}',
      '{"id":1,"result":{"a":1}}}',
      '{"id":1,"result":"unterminated}',
      '{"id":1,"result":"bad escape \\x"}',
      '{"id":1,"result":"bad unicode \\u12g4"}',
      '{"id":1,"result":[1,]}',
      '{"id":1,"result":{"a" 1}}',
      '{"id":1,"result":tru}',
      '{"id":1,"result":01}',
      '{"id":1,"result":"tab\tinside"}',
      '{"id":1,"result":1} trailing',
      '[{"id":1,"result":1}]',
      '{"id":1,"result":-}',
      '{"id":1,"result":1.}',
      '{"id":1,"result":1e}',
    ];
    for (const text of bad) expect(peekResponse(text), text).toBeNull();
    // Bytes that are not UTF-8 are decoded with replacement characters on the ordinary path, never forwarded.
    const invalid = Buffer.concat([Buffer.from('{"id":1,"result":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(peekBytes(invalid)).toBeNull();
  });

  it('leaves requests, notifications, odd ids, duplicates and results with errors to the ordinary path', () => {
    const others = [
      '{"jsonrpc":"2.0","id":1,"method":"sampling/createMessage","params":{}}',
      '{"jsonrpc":"2.0","method":"notifications/progress","params":{}}',
      '{"id":"1","result":{}}',
      '{"id":1.5,"result":{}}',
      '{"id":12345678901234567890,"result":{}}',
      '{"id":null,"error":{"code":1,"message":"m"}}',
      '{"id":1,"id":2,"result":{}}',
      '{"id":1,"result":{},"error":{"code":1,"message":"m"}}',
      '{"id":1}',
      '{"\\u0069d":1,"result":{}}',
    ];
    for (const text of others) expect(peekResponse(text), text).toBeNull();
  });

  it('searches a text about once, however many strings and escapes it has', () => {
    // Quadratic versions of this scan took seconds on each of these; a vitest timeout fails them.
    const escaped = JSON.stringify({ id: 9, result: { text: 'line\n'.repeat(200_000) } });
    expect(peekResponse(escaped)).toMatchObject({ id: 9 });
    const manyStrings = JSON.stringify({
      id: 10,
      result: { items: Array.from({ length: 50_000 }, (_, i) => `f${i}`) },
    });
    expect(peekResponse(manyStrings)).toMatchObject({ id: 10 });
  });
});
