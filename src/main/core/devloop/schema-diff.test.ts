import { describe, expect, it } from 'vitest';
import { diffSnapshots, emptySnapshot, formatChanges, type SchemaSnapshot } from './schema-diff.js';

const echo = {
  name: 'echo',
  description: 'Echoes',
  inputSchema: {
    type: 'object',
    properties: { message: { type: 'string' }, times: { type: 'integer' } },
    required: ['message'],
  },
};
const snap = (over: Partial<SchemaSnapshot>): SchemaSnapshot => ({ ...emptySnapshot, ...over });

describe('diffSnapshots', () => {
  it('finds nothing between equal snapshots, whatever the key order', () => {
    const reordered = {
      inputSchema: { required: ['message'], properties: echo.inputSchema.properties, type: 'object' },
      description: 'Echoes',
      name: 'echo',
    };
    expect(diffSnapshots(snap({ tools: [echo] }), snap({ tools: [reordered] }))).toEqual([]);
  });

  it('names added and removed items of every kind', () => {
    const before = snap({ tools: [echo], prompts: [{ name: 'old' }] });
    const after = snap({
      tools: [echo, { name: 'add', inputSchema: { type: 'object' } }],
      resources: [{ uri: 'file:///a', name: 'a' }],
      resourceTemplates: [{ uriTemplate: 'file:///{p}', name: 'p' }],
    });
    expect(diffSnapshots(before, after).map((c) => `${c.change} ${c.kind} ${c.name}`)).toEqual([
      'added tool add',
      'added resource file:///a',
      'added resourceTemplate file:///{p}',
      'removed prompt old',
    ]);
  });

  it('says which schema property was retyped, added, removed, made required or optional', () => {
    const after = {
      ...echo,
      description: 'Echoes back',
      annotations: { readOnlyHint: true },
      inputSchema: {
        type: 'object',
        properties: { message: { type: 'number' }, times: { type: 'integer' }, loud: { type: 'boolean' } },
        required: ['times'],
      },
      outputSchema: { type: 'object' },
    };
    const [change] = diffSnapshots(snap({ tools: [echo] }), snap({ tools: [after] }));
    expect(change).toMatchObject({ kind: 'tool', name: 'echo', change: 'changed' });
    expect(change!.details).toEqual([
      'description: "Echoes" → "Echoes back"',
      'annotations.readOnlyHint: (none) → true',
      'input.message: made optional',
      'input.message: retyped string → number',
      'input.times: made required',
      'input.loud: added (boolean)',
      'output schema added',
    ]);
  });

  it('looks into nested objects and array items', () => {
    const nested = (t: string) => ({
      name: 'n',
      inputSchema: {
        type: 'object',
        properties: { list: { type: 'array', items: { type: 'object', properties: { id: { type: t } } } } },
      },
    });
    const [change] = diffSnapshots(snap({ tools: [nested('string')] }), snap({ tools: [nested('integer')] }));
    expect(change!.details).toEqual(['input.list[].id: retyped string → integer']);
  });

  it('compares prompt arguments and resource fields', () => {
    const before = snap({
      prompts: [{ name: 'p', arguments: [{ name: 'a' }, { name: 'b', required: true }] }],
      resources: [{ uri: 'u', name: 'u', mimeType: 'text/plain' }],
    });
    const after = snap({
      prompts: [{ name: 'p', arguments: [{ name: 'a', required: true }, { name: 'c' }] }],
      resources: [{ uri: 'u', name: 'u', mimeType: 'application/json' }],
    });
    const changes = diffSnapshots(before, after);
    expect(changes.find((c) => c.kind === 'prompt')!.details).toEqual([
      'argument a: made required',
      'argument c: added',
      'argument b: removed',
    ]);
    expect(changes.find((c) => c.kind === 'resource')!.details).toEqual([
      'mimeType: "text/plain" → "application/json"',
    ]);
  });

  it('formats a diff for the terminal', () => {
    const text = formatChanges(diffSnapshots(snap({ tools: [echo] }), snap({ tools: [] })));
    expect(text).toBe('  - tool echo\n');
    expect(formatChanges([])).toBe('  no changes\n');
  });
});
