import { afterEach, describe, expect, it } from 'vitest';
import type { StateChange } from '../src/main/core/supervisor/server-supervisor.js';
import { connectClient, textOf } from './helpers/clients.js';
import { fixture, startTestEngine, type TestEngine } from './helpers/engine.js';

let gw: TestEngine | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

function states(engine: TestEngine): StateChange[] {
  const seen: StateChange[] = [];
  engine.engine.stateChanges.on((c) => seen.push(c));
  return seen;
}

describe('supervisor', () => {
  it('marks a server that stops answering pings degraded, then restarts it', async () => {
    gw = await startTestEngine([fixture('frozen')], {
      healthCheck: { intervalMs: 150, timeoutMs: 200, missesBeforeRestart: 2 },
      restart: { initialDelayMs: 50 },
    });
    const seen = states(gw);
    const client = await connectClient(gw.url, 'frozen');
    const oldPid = gw.engine.servers.get('frozen')!.supervisor.pid;
    // Frozen for longer than any loaded machine needs to notice; the restart ends it.
    void client.callTool({ name: 'freeze', arguments: { ms: 30_000 } }).catch(() => {});
    await expect.poll(() => seen.map((c) => c.state), { timeout: 20_000 }).toContain('degraded');
    // Order, not a clock: a slow ping alone may flip degraded and back, so wait for running after the stop.
    const runningAfterStop = () => seen.slice(seen.findIndex((c) => c.state === 'stopping') + 1 || seen.length);
    await expect.poll(() => runningAfterStop().some((c) => c.state === 'running'), { timeout: 20_000 }).toBe(true);
    const health = (await (await fetch(`${gw.url}/health`)).json()) as { servers: { frozen: { state: string } } };
    expect(health.servers.frozen.state).toBe('running');
    expect(gw.engine.servers.get('frozen')!.supervisor.pid).not.toBe(oldPid);
    expect(seen.find((c) => c.state === 'stopping')?.reason).toMatch(/stopped answering pings/);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'alive' } }))).toBe('frozen: alive');
    await client.close();
  });

  it('times a request out, resets the timer on progress, and enforces the hard maximum', async () => {
    // Margins a loaded machine cannot eat: progress every 100 ms against a 1 s idle timeout; answers 3 s and 8 s
    // away against timeouts of 1 s and 3 s. The reported times are checked as lower bounds (never early), not windows.
    gw = await startTestEngine([fixture('slow')], { router: { requestTimeoutMs: 1000, maxRequestTimeoutMs: 3000 } });
    const client = await connectClient(gw.url, 'slow');
    const silent = client.callTool({ name: 'slow', arguments: { ms: 3000 } }).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    const chatty = client.callTool({ name: 'slow', arguments: { ms: 2000, steps: 20 } }, undefined, {
      onprogress: () => {},
      timeout: 20_000,
    });
    const endless = client
      .callTool({ name: 'slow', arguments: { ms: 8000, steps: 80 } }, undefined, {
        onprogress: () => {},
        timeout: 20_000,
      })
      .then(
        () => 'answered',
        (e: Error) => e.message,
      );
    const after = (message: string) => Number(/timed out after ([\d.]+) s/.exec(message)?.[1]);
    const silentMessage = await silent;
    expect(silentMessage).toMatch(/tools\/call timed out after [\d.]+ s without an answer or progress/);
    expect(after(silentMessage)).toBeGreaterThanOrEqual(1);
    expect(textOf(await chatty)).toBe('slept 2000');
    // The child (8 s of work) was still busy when the gateway gave up, so it was told (below).
    const endlessMessage = await endless;
    expect(endlessMessage).toMatch(/timed out after [\d.]+ s: over the maximum of 3 s/);
    expect(after(endlessMessage)).toBeGreaterThanOrEqual(3);
    const cancelled = JSON.parse(textOf(await client.callTool({ name: 'cancelled', arguments: {} })));
    expect(cancelled).toHaveLength(2); // the child was told about both timeouts
    await client.close();
  });

  it('refuses to start more processes than maxProcesses, with a clear reason', async () => {
    gw = await startTestEngine([fixture('one'), fixture('two')], { maxProcesses: 1 });
    const all = [...gw.engine.servers.values()].map((s) => s.supervisor.state);
    expect(all.filter((s) => s.state === 'running')).toHaveLength(1);
    const refused = all.find((s) => s.state === 'failed')!;
    expect(refused.reason).toMatch(/1 server processes are running and the limit is 1/);
    await gw.engine.stopServer(all.find((s) => s.state === 'running')!.server);
    await gw.engine.startServer(refused.server);
    expect(gw.engine.servers.get(refused.server)!.supervisor.state.state).toBe('running');
  });

  it('drains 100 MB of stderr while stdout answers keep coming; every line is kept or counted (C7)', async () => {
    gw = await startTestEngine([fixture('noisy')]);
    const client = await connectClient(gw.url, 'noisy');
    // Drained means every line has reached the engine (the child's own writes are buffered, so its answer to the
    // flood comes earlier): count them where the supervisor hands them on.
    let received = 0;
    gw.engine.servers.get('noisy')!.supervisor.stderr.on(() => received++);
    const draining = () => received < 100_000;
    const echo = async () => {
      const t = performance.now();
      await client.callTool({ name: 'echo', arguments: { message: 'x' } });
      return performance.now() - t;
    };
    const floodStart = performance.now();
    const flood = client.callTool({ name: 'stderr-flood', arguments: { count: 100_000, width: 1000 } }, undefined, {
      timeout: 60_000,
    });
    // Echo one after another until stderr is drained; only answers that came back before then count.
    const during: number[] = [];
    while (draining()) {
      const ms = await echo();
      if (draining()) during.push(ms);
    }
    const drainMs = performance.now() - floodStart;
    expect(textOf(await flood)).toMatch(/^flooded 100000 /);
    // Compared within this run, not against a clock: answers were not held back until stderr had drained.
    const median = [...during].sort((a, b) => a - b)[Math.floor(during.length / 2)]!;
    expect(during.length).toBeGreaterThanOrEqual(10);
    expect(median).toBeLessThan(drainMs / 10);
    const stderr = () => gw!.logs.filter((l) => l.source.endsWith('noisy:stderr'));
    const kept = () => stderr().filter((l) => l.message.startsWith('flood line')).length;
    const summaries = () => stderr().filter((l) => l.message.startsWith('[switchboard] dropped'));
    const dropped = () => summaries().reduce((n, l) => n + Number(/dropped (\d+) /.exec(l.message)![1]), 0);
    await expect.poll(() => kept() + dropped(), { timeout: 10_000 }).toBe(100_000);
    // One summary a second at most (the drain may straddle one more second boundary), never one per drop.
    expect(summaries().length).toBeLessThanOrEqual(Math.ceil(drainMs / 1000) + 1);
    await client.close();
  }, 60_000);

  it('survives a child that exits while a large write to its stdin is under way (C8)', async () => {
    gw = await startTestEngine([fixture('leaver')], { restart: { initialDelayMs: 50 } });
    const server = gw.engine.servers.get('leaver')!;
    const client = await connectClient(gw.url, 'leaver');
    const pid = server.supervisor.pid!;
    // The child stops reading: 8 × 900 KB cannot fit in its pipe, so our writes are still under way when it dies.
    await client.callTool({ name: 'exit-without-reading', arguments: { ms: 60_000 } });
    const big = 'y'.repeat(900_000);
    const outcomes = Array.from({ length: 8 }, () =>
      client.callTool({ name: 'echo', arguments: { message: big } }).then(
        () => 'answered',
        (e: Error) => e.message,
      ),
    );
    // 7 MB of requests to queue: give a loaded machine time; the assertion is that all 8 are in flight.
    await expect.poll(() => server.router.inflightCount, { timeout: 20_000 }).toBe(8);
    process.kill(pid, 'SIGKILL');
    for (const o of await Promise.all(outcomes)) expect(o).toMatch(/killed by SIGKILL while the request was in flight/);
    await expect.poll(() => server.supervisor.state.state, { timeout: 5000 }).toBe('running');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'again' } }))).toBe('leaver: again');
    await client.close();
  });
});
