// The explorer as a real MCP client session, through AppService, against server-everything over real pipes:
// sampling and elicitation reach the page and its answers reach the server, progress arrives, Cancel cancels,
// and roots/list is answered with the server's configured roots.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import type { ExplorerEvent } from '../src/shared/app-api.js';
import { everythingServer, fixture } from './helpers/engine.js';
import { startHost, tempDir } from './helpers/host.js';

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function everything(options?: Record<string, unknown>) {
  host = await startHost({ dataDir: tempDir() });
  await host.api.addServer({
    name: 'everything',
    command: process.execPath,
    args: [everythingServer, 'stdio'],
    ...(options ? { options } : {}),
  });
  await expect.poll(() => host!.engine.servers.get('everything')?.state.state, { timeout: 15_000 }).toBe('running');
  const events: ExplorerEvent[] = [];
  host.service.explorer.events.on((e) => events.push(e));
  return { api: host.api, events };
}

/** The next event of `kind` not yet in `seen`. */
async function nextEvent<K extends ExplorerEvent['kind']>(events: ExplorerEvent[], kind: K, after = 0) {
  await expect.poll(() => events.slice(after).some((e) => e.kind === kind), { timeout: 10_000 }).toBe(true);
  return events.slice(after).find((e) => e.kind === kind) as Extract<ExplorerEvent, { kind: K }>;
}

const text = (r: { content: Array<Record<string, unknown>> }) => r.content.map((c) => String(c.text ?? '')).join('');

describe('the explorer session', () => {
  it('joins with sampling, elicitation and roots, and answers a sampling request the user wrote', async () => {
    const { api, events } = await everything();
    const info = await api.explorerOpen('everything');
    expect(info.serverInfo?.name).toBeTruthy();
    expect(Object.keys(info.capabilities)).toEqual(expect.arrayContaining(['tools', 'resources', 'prompts']));
    const tools = (await api.listTools('everything')).map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['trigger-sampling-request', 'trigger-elicitation-request']));

    const call = api.callTool('everything', 'trigger-sampling-request', { prompt: 'hello', maxTokens: 7 }, 'c1');
    const asked = await nextEvent(events, 'request');
    expect(asked).toMatchObject({ method: 'sampling/createMessage', callId: 'c1', server: 'everything' });
    expect(asked.params).toMatchObject({ maxTokens: 7, systemPrompt: 'You are a helpful test server.' });
    expect(JSON.stringify(asked.params.messages)).toContain('hello');
    await api.explorerAnswer('everything', asked.requestId, {
      result: { role: 'assistant', content: { type: 'text', text: 'written by hand' }, model: 'human' },
    });
    const result = await call;
    expect(result.isError).toBe(false);
    expect(text(result)).toContain('written by hand');
    // The question is gone once answered.
    await expect(api.explorerAnswer('everything', asked.requestId, { result: {} })).rejects.toMatchObject({
      kind: 'not_found',
    });
    // The call went through the router as the explorer's session: Traffic names it.
    await expect
      .poll(async () => await api.queryTraffic({ server: 'everything', method: 'sampling/createMessage' }))
      .toEqual([expect.objectContaining({ direction: 'down', kind: 'request', clientName: 'switchboard-explorer' })]);
    const frames = await api.queryTraffic({ server: 'everything', method: 'tools/call' });
    expect(frames.every((f) => f.clientName === 'switchboard-explorer')).toBe(true);
  });

  it('passes a declined sampling request and an accepted elicitation back to the server', async () => {
    const { api, events } = await everything();
    const declined = api.callTool('everything', 'trigger-sampling-request', { prompt: 'no' }, 'd1');
    const sampling = await nextEvent(events, 'request');
    await api.explorerAnswer('everything', sampling.requestId, { error: { code: -1, message: 'User rejected' } });
    const outcome = await declined.then(
      (r) => `result ${r.isError ? 'error' : 'ok'}: ${text(r)}`,
      (e: Error) => `thrown: ${e.message}`,
    );
    expect(outcome).toMatch(/User rejected/);

    const mark = events.length;
    const elicited = api.callTool('everything', 'trigger-elicitation-request', {}, 'e1');
    const form = await nextEvent(events, 'request', mark);
    expect(form.method).toBe('elicitation/create');
    const schema = form.params.requestedSchema as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toContain('name');
    await api.explorerAnswer('everything', form.requestId, {
      result: { action: 'accept', content: { name: 'Ada Lovelace', check: true } },
    });
    expect(text(await elicited)).toContain('Ada Lovelace');
  });

  it('reports progress of a long call and cancels it while it is in flight', async () => {
    const { api, events } = await everything();
    const call = api.callTool('everything', 'trigger-long-running-operation', { duration: 60, steps: 120 }, 'long');
    const failed = call.then(
      () => 'finished',
      (e: Error & { kind?: string }) => `${e.kind}: ${e.message}`,
    );
    const progress = await nextEvent(events, 'progress');
    expect(progress).toMatchObject({ callId: 'long', progress: 1, total: 120 });
    // In flight now (it reported step 1 of 120): Cancel ends it at once.
    expect(host!.engine.servers.get('everything')!.router.inflightCount).toBe(1);
    await api.explorerCancel('everything', 'long');
    expect(await failed).toMatch(/cancelled/);
    await expect.poll(() => host!.engine.servers.get('everything')!.router.inflightCount).toBe(0);
    await expect
      .poll(async () => (await api.queryTraffic({ server: 'everything', method: 'notifications/cancelled' })).length)
      .toBeGreaterThan(0);
    await expect(api.explorerCancel('everything', 'long')).rejects.toMatchObject({ kind: 'not_found' });
    // The session carries on.
    expect(text(await api.callTool('everything', 'echo', { message: 'still here' }))).toContain('still here');
  });

  // With a child of its own (per-session) the server asks the explorer session itself for roots; a shared
  // child's roots/list is the router's to answer.
  it("answers roots/list with the server's configured roots", async () => {
    host = await startHost({ dataDir: tempDir() });
    await host.api.addServer({
      ...fixture('rooted'),
      options: { sharing: 'per-session', roots: [{ uri: 'file:///srv/project', name: 'project' }] },
    });
    const result = await host.api.callTool('rooted', 'roots', {});
    expect(JSON.parse(text(result))).toEqual({ roots: [{ uri: 'file:///srv/project', name: 'project' }] });
  });

  it('leaves the server when closed, and joins again on the next use', async () => {
    const { api } = await everything();
    await api.explorerOpen('everything');
    await api.explorerClose('everything');
    expect(text(await api.callTool('everything', 'echo', { message: 'again' }))).toContain('again');
    await expect(api.explorerOpen('nope')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
