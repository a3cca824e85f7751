import { describe, expect, it } from 'vitest';
import { compareResponses } from './compare.js';
import { formatPath, parseJsonPath, pathMatches } from './json-path.js';

describe('JSONPath for --ignore', () => {
  it('matches names, indexes, wildcards and recursive descent, and what lies under them', () => {
    const m = (p: string, path: Array<string | number>) => pathMatches(parseJsonPath(p), path);
    expect(m('$.result.content[0].text', ['result', 'content', 0, 'text'])).toBe(true);
    expect(m('$.result.content[0].text', ['result', 'content', 1, 'text'])).toBe(false);
    expect(m('$.result.content[*].text', ['result', 'content', 1, 'text'])).toBe(true);
    expect(m('$..requestId', ['result', 'meta', 'requestId'])).toBe(true);
    expect(m('$..requestId', ['result', 'requestIds'])).toBe(false);
    expect(m("$['odd key']", ['odd key', 'x'])).toBe(true);
    expect(m('$.result', ['error'])).toBe(false);
  });

  it('refuses what it cannot read, saying where', () => {
    expect(() => parseJsonPath('result.x')).toThrow(/must start with \$/);
    expect(() => parseJsonPath('$.a[')).toThrow(/never closed/);
    expect(() => parseJsonPath('$.a[x]')).toThrow(/not an index/);
  });

  it('prints paths so they can be pasted back', () => {
    expect(formatPath(['result', 'content', 0, 'text', 'odd key'])).toBe("$.result.content[0].text['odd key']");
  });
});

describe('comparing a response with the recorded one', () => {
  const recorded = {
    jsonrpc: '2.0',
    id: 7,
    result: { content: [{ type: 'text', text: 'Hello' }], meta: { at: '2024-05-01T10:00:00Z', timestamp: 1 } },
  };

  it('ignores ids, timestamps (by name or ISO form) and the given paths', () => {
    const now = {
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: 'Hello' }], meta: { at: '2026-12-02T17:00:00.123Z', timestamp: 99 } },
    };
    expect(compareResponses(recorded, now)).toEqual([]);
    const changed = { ...now, result: { ...now.result, content: [{ type: 'text', text: 'Howdy' }] } };
    expect(compareResponses(recorded, changed)).toEqual([
      { path: '$.result.content[0].text', before: 'Hello', after: 'Howdy' },
    ]);
    expect(compareResponses(recorded, changed, ['$.result.content[*].text'])).toEqual([]);
  });

  it('reports fields that appear or go, and a result that became an error', () => {
    const error = { jsonrpc: '2.0', id: 3, error: { code: -32601, message: 'gone' } };
    expect(compareResponses(recorded, error).map((d) => d.path)).toEqual(['$.result', '$.error']);
  });
});
