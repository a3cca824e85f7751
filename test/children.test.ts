import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../src/main/core/supervisor/process-group.js';
import { defaultStdioLimits } from '../src/main/core/supervisor/stdio-process.js';
import type { StateChange } from '../src/main/core/supervisor/server-supervisor.js';
import { connectClient, textOf } from './helpers/clients.js';
import { fixture, startTestEngine, type TestEngine } from './helpers/engine.js';

const SECRET = 'sk-parent-secret-value';

describe('children behind the gateway', () => {
  let gw: TestEngine;
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-c10-'));
  beforeAll(async () => {
    process.env.SWITCHBOARD_TEST_SECRET = SECRET;
    process.env.NODE_OPTIONS = '--max-old-space-size=4096';
    process.env.ELECTRON_RUN_AS_NODE = '1';
    const hostile = [`; touch ${scratch}/semicolon`, `$(touch ${scratch}/subshell)`, `& touch ${scratch}/amp`, '`id`'];
    gw = await startTestEngine(
      [
        fixture('fx', [], { env: { DECLARED: 'yes' } }),
        fixture('argv', hostile),
        fixture('capped', [], { options: { stderrLinesPerSecond: 100 } }),
        { name: 'missing', command: 'definitely-not-a-command-xyz', args: [], env: {} },
      ],
      { stdio: { maxLineBytes: 64 * 1024 } },
    );
  });
  afterAll(async () => {
    delete process.env.SWITCHBOARD_TEST_SECRET;
    delete process.env.NODE_OPTIONS;
    delete process.env.ELECTRON_RUN_AS_NODE;
    await gw?.stop();
  });

  it('gives the child only the allowlist plus its declared env (C9)', async () => {
    const client = await connectClient(gw.url, 'fx');
    const env = JSON.parse(textOf(await client.callTool({ name: 'env', arguments: {} })));
    expect(env.DECLARED).toBe('yes');
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.SWITCHBOARD_TEST_SECRET).toBeUndefined();
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain(SECRET);
    await client.close();
  });

  it('passes hostile arguments verbatim, with no shell (C10)', async () => {
    const client = await connectClient(gw.url, 'argv');
    const argv = JSON.parse(textOf(await client.callTool({ name: 'argv', arguments: {} })));
    expect(argv.slice(2)).toEqual([
      `; touch ${scratch}/semicolon`,
      `$(touch ${scratch}/subshell)`,
      `& touch ${scratch}/amp`,
      '`id`',
    ]);
    for (const f of ['semicolon', 'subshell', 'amp']) expect(existsSync(join(scratch, f))).toBe(false);
    await client.close();
  });

  it('drops a non-JSON stdout line as a logged protocol violation; the next request succeeds (C5)', async () => {
    const client = await connectClient(gw.url, 'fx');
    expect(textOf(await client.callTool({ name: 'noise', arguments: {} }))).toBe('after noise');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'next' } }))).toBe('fx: next');
    expect(gw.logs.some((l) => l.level === 'warn' && l.message.includes('protocol violation'))).toBe(true);
    await client.close();
  });

  it('logs stderr lines with a per-server rate cap and one summary of what it dropped', async () => {
    const client = await connectClient(gw.url, 'capped');
    await client.callTool({ name: 'stderr', arguments: { count: 2000 } });
    const stderr = () => gw.logs.filter((l) => l.source.endsWith('capped:stderr'));
    const summaries = () => stderr().filter((l) => l.message.startsWith('[switchboard] dropped'));
    const shown = () => stderr().filter((l) => l.message.startsWith('stderr line')).length;
    const dropped = () => summaries().reduce((n, l) => n + Number(/dropped (\d+) /.exec(l.message)![1]), 0);
    // Every line is kept or counted; the count goes out within a second of the first drop, with no later line.
    await expect.poll(() => shown() + dropped(), { timeout: 5000 }).toBe(2000);
    expect(summaries().length).toBeGreaterThan(0);
    // 100 lines/s with a 2 s burst: about 200 kept of 2,000 written at once.
    expect(shown()).toBeGreaterThanOrEqual(200);
    expect(shown()).toBeLessThan(1000);
    await client.close();
  });

  it('fails only the request whose answer is over the line cap (C6)', async () => {
    const client = await connectClient(gw.url, 'fx');
    const [big, small] = await Promise.allSettled([
      client.callTool({ name: 'big', arguments: { bytes: 200_000 } }),
      client.callTool({ name: 'big', arguments: { bytes: 1000 } }),
    ]);
    expect(big.status).toBe('rejected');
    expect(String((big as PromiseRejectedResult).reason)).toMatch(/over the message size cap/);
    expect(small.status === 'fulfilled' && textOf(small.value).length).toBe(1000);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'after' } }))).toBe('fx: after');
    await client.close();
  });

  it('names the missing command and the PATH searched, and keeps serving the others (C11)', async () => {
    const state = gw.engine.servers.get('missing')!.supervisor.state;
    expect(state.state).toBe('failed');
    expect(state.reason).toContain('`definitely-not-a-command-xyz` not found on PATH=');
    expect(state.reason).toContain(process.env.PATH!.split(':')[0]);
    const health = (await (await fetch(`${gw.url}/health`)).json()) as {
      status: string;
      servers: Record<string, { status: string }>;
    };
    expect(health.status).toBe('degraded');
    expect(health.servers.missing.status).toBe('unhealthy');
    const client = await connectClient(gw.url, 'fx');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'still here' } }))).toBe(
      'fx: still here',
    );
    await client.close();
  });
});

describe('a child that dies', () => {
  let gw: TestEngine;
  const changes: StateChange[] = [];
  beforeAll(async () => {
    gw = await startTestEngine([fixture('crashy')], { restart: { initialDelayMs: 200 } });
    gw.engine.stateChanges.on((c) => changes.push(c));
  });
  afterAll(() => gw?.stop());

  it('answers every request in flight from 3 clients with an error at once, then restarts (C1)', async () => {
    const clients = await Promise.all(
      ['streamable', 'sse', 'streamable'].map((k) => connectClient(gw.url, 'crashy', k as 'sse')),
    );
    const pid = Number(textOf(await clients[0]!.callTool({ name: 'pid', arguments: {} })));
    const slowMs = 20_000;
    const inflight = clients.flatMap((c, i) =>
      Array.from({ length: i === 0 ? 4 : 3 }, () =>
        c.callTool({ name: 'slow', arguments: { ms: slowMs } }).then(
          () => 'answered',
          (e: Error) => e.message,
        ),
      ),
    );
    await expect.poll(() => gw.engine.servers.get('crashy')!.router.inflightCount).toBe(10);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const outcomes = await Promise.all(inflight);
    // At once, measured against the run itself: long before the 20 s answers or any request timeout were due.
    expect(Date.now() - killedAt).toBeLessThan(slowMs / 4);
    expect(outcomes).toHaveLength(10);
    for (const o of outcomes) expect(o).toMatch(/killed by SIGKILL while the request was in flight/);

    // The sessions survive the restart: the same clients work again once the new child is up.
    await expect.poll(() => gw.engine.servers.get('crashy')!.supervisor.state.state, { timeout: 5000 }).toBe('running');
    const backoff = changes.find((c) => c.state === 'backoff')!;
    expect(backoff.reason).toMatch(/killed by SIGKILL; restarting in \d+ ms/);
    expect(backoff.exit).toEqual({ code: null, signal: 'SIGKILL' });
    for (const c of clients)
      expect(textOf(await c.callTool({ name: 'echo', arguments: { message: 'back' } }))).toBe('crashy: back');
    expect(groupAlive(pid)).toBe(false);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('cancels upstream what a disconnected SSE client had pending; others are unaffected (R2)', async () => {
    const leaving = await connectClient(gw.url, 'crashy', 'sse');
    const staying = await connectClient(gw.url, 'crashy', 'streamable');
    const pending = Array.from({ length: 5 }, () =>
      leaving.callTool({ name: 'slow', arguments: { ms: 1500 } }).catch(() => 'closed'),
    );
    const other = staying.callTool({ name: 'slow', arguments: { ms: 300 } });
    await expect.poll(() => gw.engine.servers.get('crashy')!.router.inflightCount).toBe(6);
    await leaving.close();
    await Promise.all(pending);
    expect(textOf(await other)).toBe('slept 300');
    const cancelled = JSON.parse(textOf(await staying.callTool({ name: 'cancelled', arguments: {} })));
    expect(cancelled).toHaveLength(5);
    await staying.close();
  });
});

describe('stopping', () => {
  it('removes a SIGTERM-ignoring server and its grandchild within 6 s (C3)', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'switchboard-c3-')), 'gc.pid');
    const gw = await startTestEngine([
      fixture('stubborn', ['--ignore-sigterm', '--grandchild', '--pid-file', pidFile]),
    ]);
    const server = gw.engine.servers.get('stubborn')!;
    const pid = server.supervisor.pid!;
    await expect.poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '').toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const started = Date.now();
    await gw.stop();
    // Bounded by the stop sequence's own waits (stdin close, then SIGTERM, then SIGKILL), not by a fixed figure.
    const { stdinGraceMs, termGraceMs } = defaultStdioLimits;
    expect(Date.now() - started).toBeLessThan(2 * (stdinGraceMs + termGraceMs));
    expect(groupAlive(pid)).toBe(false);
    expect(() => process.kill(grandchild, 0)).toThrow();
  }, 15_000);

  it('reports a server that never answers initialize as failed after the handshake timeout (C2)', async () => {
    const gw = await startTestEngine([fixture('hang', ['--hang-initialize']), fixture('quitter', ['--exit-at-once'])], {
      handshakeTimeoutMs: 300,
      restart: { initialDelayMs: 20, maxDelayMs: 40 },
    });
    try {
      for (const name of ['hang', 'quitter']) {
        const { state, reason } = gw.engine.servers.get(name)!.supervisor.state;
        expect(state).toBe('failed');
        expect(reason).toMatch(/5 failures within 60 s/);
      }
      expect(gw.engine.servers.get('hang')!.supervisor.state.reason).toMatch(/no answer to initialize within 300 ms/);
    } finally {
      await gw.stop();
    }
  }, 20_000);
});
