import { describe, expect, it } from 'vitest';
import { ProtocolChecker } from './protocol-checker.js';
import { sampleArguments } from './sample-args.js';

const line = (msg: unknown) => JSON.stringify(msg);
const rules = (c: ProtocolChecker, msg: unknown, method?: string) => c.received(line(msg), method).map((f) => f.rule);

function initialized(version: string, capabilities: Record<string, unknown> = {}, clientCaps = {}) {
  const c = new ProtocolChecker({ trackIds: true });
  c.sent({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: clientCaps } });
  const init = { protocolVersion: version, capabilities, serverInfo: { name: 's', version: '1' } };
  expect(rules(c, { jsonrpc: '2.0', id: 1, result: init })).toEqual([]);
  return c;
}

describe('the protocol checker', () => {
  it('matches responses to requests by id, telling 1 from "1"', () => {
    const c = initialized('2025-06-18', { tools: {} });
    c.sent({ jsonrpc: '2.0', id: 2, method: 'ping' });
    expect(rules(c, { jsonrpc: '2.0', id: '2', result: {} })).toEqual(['unknown-response-id']);
    expect(rules(c, { jsonrpc: '2.0', id: 2, result: {} })).toEqual([]);
    expect(rules(c, { jsonrpc: '2.0', id: 2, result: {} })).toEqual(['unknown-response-id']); // answered twice
    expect(c.pendingCount).toBe(0);
  });

  it('checks framing and result shapes with the SDK schemas', () => {
    const c = initialized('2025-06-18', { tools: {} });
    expect(c.received('not json at all').map((f) => f.rule)).toEqual(['non-json-stdout']);
    expect(rules(c, { jsonrpc: '1.0', id: 9, result: {} })).toEqual(['malformed-jsonrpc']);
    c.sent({ jsonrpc: '2.0', id: 3, method: 'tools/call' });
    expect(rules(c, { jsonrpc: '2.0', id: 3, result: { content: 'just text' } })).toEqual(['result-shape']);
    c.sent({ jsonrpc: '2.0', id: 4, method: 'tools/list' });
    const bad = { name: 't', inputSchema: { type: 'object', properties: { n: { type: 'numbr' } } } };
    expect(rules(c, { jsonrpc: '2.0', id: 4, result: { tools: [bad] } })).toEqual(['invalid-tool-schema']);
  });

  it('accepts draft 2020-12 tool schemas that say so', () => {
    const c = initialized('2025-06-18', { tools: {} });
    c.sent({ jsonrpc: '2.0', id: 5, method: 'tools/list' });
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] } },
    };
    expect(rules(c, { jsonrpc: '2.0', id: 5, result: { tools: [{ name: 't', inputSchema: schema }] } })).toEqual([]);
  });

  it('flags capabilities used without being declared, on either side', () => {
    const c = initialized('2025-06-18', { tools: { listChanged: false } }, { roots: {} });
    expect(rules(c, { jsonrpc: '2.0', method: 'notifications/tools/list_changed' })).toEqual(['undeclared-capability']);
    expect(rules(c, { jsonrpc: '2.0', id: 'a', method: 'sampling/createMessage', params: {} })).toEqual([
      'undeclared-capability',
    ]);
    expect(rules(c, { jsonrpc: '2.0', id: 'b', method: 'roots/list' })).toEqual([]);
    expect(rules(c, { jsonrpc: '2.0', id: 7, method: 'notifications/progress', params: {} })).toEqual([
      'notification-with-id',
    ]);
  });

  it('warns about fields newer than the negotiated version, and refuses an unknown version', () => {
    const old = initialized('2025-03-26', { tools: {} });
    old.sent({ jsonrpc: '2.0', id: 2, method: 'tools/call' });
    const result = { content: [], structuredContent: { ok: true } };
    expect(old.received(line({ jsonrpc: '2.0', id: 2, result }))).toMatchObject([
      { severity: 'warning', rule: 'newer-than-negotiated' },
    ]);
    const current = initialized('2025-06-18', { tools: {} });
    current.sent({ jsonrpc: '2.0', id: 2, method: 'tools/call' });
    expect(rules(current, { jsonrpc: '2.0', id: 2, result })).toEqual([]);

    const c = new ProtocolChecker({ trackIds: true });
    c.sent({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    const init = { protocolVersion: '1999-01-01', capabilities: {}, serverInfo: { name: 's', version: '1' } };
    expect(rules(c, { jsonrpc: '2.0', id: 1, result: init })).toEqual(['version-mismatch']);
  });

  it('in live mode takes the method from the caller and tracks no ids', () => {
    const c = new ProtocolChecker({ trackIds: false });
    expect(rules(c, { jsonrpc: '2.0', id: 42, result: { tools: [{ name: 'x' }] } }, 'tools/list')).toEqual([
      'result-shape',
    ]);
    expect(rules(c, { jsonrpc: '2.0', id: 43, result: {} })).toEqual([]);
  });
});

describe('arguments made from a schema', () => {
  it('fills required properties with the simplest valid values and leaves optional ones out', () => {
    expect(
      sampleArguments({
        type: 'object',
        properties: {
          q: { type: 'string', minLength: 10 },
          n: { type: 'integer', minimum: 3 },
          mode: { enum: ['fast', 'slow'] },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
          when: { type: 'string', format: 'date-time' },
          nested: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
          optional: { type: 'string' },
        },
        required: ['q', 'n', 'mode', 'tags', 'when', 'nested'],
      }),
    ).toEqual({
      q: 'examplexxx',
      n: 3,
      mode: 'fast',
      tags: ['example'],
      when: '2025-01-01T00:00:00Z',
      nested: { ok: false },
    });
    expect(sampleArguments(undefined)).toEqual({});
  });
});
