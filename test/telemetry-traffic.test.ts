import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED } from '../src/main/core/telemetry/redaction.js';
import { TrafficRecorder, type TrafficRecorderOptions } from '../src/main/core/telemetry/traffic-recorder.js';
import type { TrafficRow } from '../src/main/core/telemetry/traffic-row.js';
import { connectClient, textOf } from './helpers/clients.js';
import { fixture, startTestEngine, type TestEngine } from './helpers/engine.js';

const ENV_SECRET = 'env-secret-0f9e8d7c';
const running: Array<{ gw: TestEngine; recorder: TrafficRecorder; client: Client }> = [];

/** A real engine whose fixture server 'fx' has a secret in its env, recorded by a TrafficRecorder. */
async function setup(options: TrafficRecorderOptions = {}) {
  const spec = fixture('fx', [], { env: { FX_API_TOKEN: ENV_SECRET } });
  const gw = await startTestEngine([spec]);
  const sinkRows: TrafficRow[] = [];
  const recorder = new TrafficRecorder({ sink: (rows) => sinkRows.push(...rows), ...options });
  recorder.redactor.addSecretsFromEnv(spec.env ?? {});
  gw.engine.servers.get('fx')!.router.observe(recorder);
  const client = await connectClient(gw.url, 'fx', 'streamable', { name: 'alpha' });
  running.push({ gw, recorder, client });
  return { gw, recorder, client, sinkRows };
}

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.client.close().catch(() => {});
    r.recorder.dispose();
    await r.gw.stop();
  }
});

const call = (c: Client, name: string, args: Record<string, unknown> = {}) => c.callTool({ name, arguments: args });

describe('TrafficRecorder on a real engine', () => {
  it('records each frame with its server, session, client, method and id, and pairs requests with responses', async () => {
    const { recorder, client } = await setup();
    await call(client, 'echo', { message: 'one' });
    await call(client, 'echo', { message: 'two' });
    const rows = recorder.query({ method: 'tools/call' });
    expect(rows.map((r) => `${r.direction} ${r.kind}`)).toEqual([
      'up request',
      'down response',
      'up request',
      'down response',
    ]);
    const [req, res] = rows;
    expect(req).toMatchObject({ server: 'fx', clientName: 'alpha', isError: false, truncated: false });
    expect(req.session).toEqual(expect.any(String));
    expect(res.session).toBe(req.session);
    expect(res.id).toBe(req.id);
    expect(req.pairKey).toBe(req.seq);
    expect(res.pairKey).toBe(req.seq);
    expect(rows[3].pairKey).toBe(rows[2].seq);
    expect(res.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(res.payload).result.content[0].text).toBe('fx: one');
    expect(res.size).toBe(res.payload.length);
  });

  it('marks error responses and finds them with errorsOnly', async () => {
    const { recorder, client } = await setup();
    await call(client, 'echo');
    await expect(call(client, 'no-such-tool')).rejects.toThrow();
    const errors = recorder.query({ errorsOnly: true });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ direction: 'down', kind: 'response', method: 'tools/call', isError: true });
    expect(recorder.query({ session: 'not-a-session' })).toEqual([]);
    expect(recorder.query({ server: 'fx', sinceTime: errors[0].time })).toContainEqual(errors[0]);
  });

  it('truncates payloads over the cap and flags them', async () => {
    const { recorder, client, sinkRows } = await setup({ maxPayloadChars: 1000 });
    expect(textOf(await call(client, 'big', { bytes: 5000 }))).toHaveLength(5000);
    const res = recorder.query({ method: 'tools/call' }).find((r) => r.kind === 'response')!;
    expect(res.truncated).toBe(true);
    expect(res.payload).toHaveLength(1000);
    expect(res.size).toBeGreaterThan(5000);
    expect(sinkRows.find((r) => r.seq === res.seq)?.truncated).toBe(true);
  });

  it('redacts marked env values, token shapes and bearer tokens before keeping anything', async () => {
    const { recorder, client, sinkRows } = await setup();
    const ghToken = 'ghp_' + 'A1b2C3d4'.repeat(5);
    const message = `use ${ghToken} with Bearer abc.def.ghi and ${ENV_SECRET}`;
    expect(textOf(await call(client, 'echo', { message }))).toContain(ghToken); // the client still gets it all
    expect(textOf(await call(client, 'env'))).toContain(ENV_SECRET); // the env tool returns the child's env
    recorder.dispose(); // hands everything to the sink
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    await recorder.exportJsonl(out);
    const everything = [...recorder.query(), ...sinkRows].map((r) => r.payload).join('\n') + chunks.join('');
    for (const secret of [ghToken, 'abc.def.ghi', ENV_SECRET]) expect(everything).not.toContain(secret);
    expect(everything).toContain(`Bearer ${REDACTED}`);
    const envAnswer = recorder.query().find((r) => r.kind === 'response' && r.payload.includes('FX_API_TOKEN'))!;
    expect(JSON.parse(envAnswer.payload).result).toBeDefined(); // still valid JSON
  });

  it('keeps a bounded ring while the sink gets every row in batches', async () => {
    const { recorder, client, sinkRows } = await setup({ capacity: 10 });
    for (let i = 0; i < 15; i++) await call(client, 'echo', { message: String(i) });
    const rows = recorder.query({ limit: 100 });
    expect(rows).toHaveLength(10);
    expect(rows.at(-1)!.payload).toContain('fx: 14');
    expect(sinkRows).toHaveLength(30);
    expect(sinkRows.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(recorder.query({ limit: 3 }).map((r) => r.seq)).toEqual([28, 29, 30]);
  });

  it('exports JSON Lines that parse line by line', async () => {
    const { recorder, client } = await setup();
    for (let i = 0; i < 5; i++) await call(client, 'echo', { message: `line\n${i}` });
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    const count = await recorder.exportJsonl(out, { method: 'tools/call' });
    const lines = chunks.join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(count);
    expect(count).toBe(10);
    const parsed = lines.map((l) => JSON.parse(l) as TrafficRow);
    expect(parsed.map((r) => r.seq)).toEqual(recorder.query({ method: 'tools/call' }).map((r) => r.seq));
  });

  it('gives live views batches about ten times a second, never one event per frame', async () => {
    const { recorder, client } = await setup();
    const batches: number[] = [];
    const off = recorder.onBatch((b) => batches.push(b.items.length));
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => call(client, 'echo', { message: String(i) })));
    await new Promise((r) => setTimeout(r, 250));
    const elapsed = Date.now() - started;
    off();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(100);
    // At most one batch per 100 ms however the 100 frames were spread out.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    expect(batches.length).toBeLessThan(50);
  });
});
