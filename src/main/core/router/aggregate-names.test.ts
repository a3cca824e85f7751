import { describe, expect, it } from 'vitest';
import { EXPOSED_NAME, NameTable, assignNames, prefixedName } from './aggregate-names.js';
import { namespaceUri, splitUri } from './aggregate-uris.js';

describe('aggregate names', () => {
  it('keeps unique valid names, prefixes collisions, and maps every exposed name back', () => {
    const entries = [
      { server: 'fx', name: 'echo' },
      { server: 'everything', name: 'echo' },
      { server: 'memory', name: 'create_entities' },
    ];
    expect(assignNames(entries)).toEqual(['fx__echo', 'everything__echo', 'create_entities']);
    const table = new NameTable(entries.map((e) => ({ server: e.server, item: { name: e.name } })));
    expect(table.resolve('everything__echo')).toEqual({ server: 'everything', name: 'echo' });
    expect(table.resolve('memory__create_entities')).toEqual({ server: 'memory', name: 'create_entities' });
    expect(table.resolve('echo')).toBeUndefined();
  });

  it('makes every name valid, at most 64 characters, unique and stable, even in contrived cases', () => {
    const long = 'x'.repeat(80);
    const entries = [
      { server: 'a.b', name: 'get.weather' }, // invalid, unique: sanitized
      { server: 'c', name: 'get_weather' }, // collides with the sanitized form above
      { server: 'b', name: 'x' },
      { server: 'd', name: 'x' },
      { server: 'e', name: 'b__x' }, // equals b's prefixed form
      { server: 'f', name: long },
      { server: 'g', name: long },
      { server: 'h', name: 'dup' },
      { server: 'h', name: 'dup' },
      { server: 'i', name: 'ünïcødé tool' },
    ];
    const names = assignNames(entries);
    for (const n of names) expect(n).toMatch(EXPOSED_NAME);
    expect(new Set(names).size).toBe(names.length);
    expect(names[1]).toBe('get_weather');
    expect(names[4]).toBe('b__x');
    expect(assignNames(entries)).toEqual(names);
    expect(prefixedName({ server: 'f', name: long })).toHaveLength(64);
  });
});

describe('aggregate resource URIs', () => {
  it('round-trip exactly, templates included', () => {
    for (const uri of [
      'file:///a b/c.md',
      'test://static/resource/{id}',
      'switchboard://x/y',
      'memory://graph?q=1#f',
    ]) {
      const wrapped = namespaceUri('my-server', uri);
      expect(splitUri(wrapped)).toEqual({ server: 'my-server', uri });
    }
    expect(splitUri('file:///etc/passwd')).toBeUndefined();
  });
});
