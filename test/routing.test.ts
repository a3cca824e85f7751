import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, textOf, type TransportKind } from './helpers/clients.js';
import { fixture, startTestEngine, type TestEngine } from './helpers/engine.js';

let gw: TestEngine;
beforeAll(async () => {
  gw = await startTestEngine([fixture('fx')]);
});
afterAll(() => gw?.stop());

describe.each<TransportKind>(['streamable', 'sse'])('through the gateway over %s', (kind) => {
  it('lists and calls tools of a stdio server', async () => {
    const client = await connectClient(gw.url, 'fx', kind);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
    expect(textOf(result)).toBe('fx: hello');
    await client.close();
  });
});
