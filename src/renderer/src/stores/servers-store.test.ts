import { describe, expect, it } from 'vitest';
import type { AppBridge, MetricsSnapshot, ServerStats, ServerView } from '../../../shared/app-api.js';
import { serverDefinitionSchema } from '../../../shared/server-definition.js';
import { createServersStore } from './servers-store.js';

const stats: ServerStats = {
  uptimeSeconds: 1,
  restarts: 0,
  sessions: 0,
  inflight: 0,
  requestsPerSecond: 0,
  errors: 0,
  latencyMs: null,
  cpuPercent: null,
  rssBytes: null,
};

function view(state: ServerView['status']['state'], since = 1000, name = 'a'): ServerView {
  return {
    definition: serverDefinitionSchema.parse({ name, command: 'node' }),
    status: { state, reason: state, since, pid: null },
    stats,
    endpoints: { streamableHttp: '/servers/a/mcp', sse: '/servers/a/sse' },
    serverInfo: null,
  };
}

/** Only what the store calls; the rest of the bridge is never touched here. */
function fakeBridge(lists: ServerView[][]): AppBridge & { calls: number } {
  const bridge = {
    calls: 0,
    async listServers() {
      return lists[Math.min(bridge.calls++, lists.length - 1)]!;
    },
    async getAppInfo() {
      return { version: '0', host: 'web' as const, platform: 'linux', terminalEnabled: false, dataDir: '/tmp' };
    },
  };
  return bridge as unknown as AppBridge & { calls: number };
}

const snapshot = (state: ServerView['status']['state'], time: number): MetricsSnapshot => ({
  time,
  servers: { a: { ...stats, requestsPerSecond: 5, state } },
  sessions: [],
});

describe('servers store', () => {
  it('applies state events and metrics to the row', async () => {
    const store = createServersStore(fakeBridge([[view('starting')]]));
    await store.getState().load();
    store.getState().applyState({ server: 'a', state: 'running', reason: 'up', since: 2000, pid: 7 });
    expect(store.getState().byName.a!.status).toMatchObject({ state: 'running', pid: 7 });
    store.getState().applyMetrics(snapshot('running', 3000));
    expect(store.getState().byName.a!.stats.requestsPerSecond).toBe(5);
  });

  it('reads the list again when a snapshot shows a state change it never heard of', async () => {
    const bridge = fakeBridge([[view('starting')], [view('running', 1500)]]);
    const store = createServersStore(bridge);
    await store.getState().load();
    store.getState().applyMetrics(snapshot('running', 2000));
    await new Promise((r) => setTimeout(r, 0));
    expect(bridge.calls).toBe(2);
    expect(store.getState().byName.a!.status.state).toBe('running');
    // A snapshot older than the state it disagrees with is just late, not a missed event.
    store.getState().applyMetrics(snapshot('starting', 1000));
    expect(bridge.calls).toBe(2);
  });

  it('keeps the list in name order whatever order the engine answers in, and for servers added later', async () => {
    const names = (list: string[]) => list.map((n) => view('running', 1000, n));
    // The engine's order changes after a restart (the restarted server last): the page must not follow it.
    const store = createServersStore(
      fakeBridge([names(['srv-10', 'beta', 'Alpha', 'srv-2']), names(['srv-2', 'beta', 'srv-10', 'Alpha'])]),
    );
    await store.getState().load();
    expect(store.getState().names).toEqual(['Alpha', 'beta', 'srv-2', 'srv-10']);
    await store.getState().load();
    expect(store.getState().names).toEqual(['Alpha', 'beta', 'srv-2', 'srv-10']);
    store.getState().put(names(['aardvark']));
    expect(store.getState().names).toEqual(['aardvark', 'Alpha', 'beta', 'srv-2', 'srv-10']);
  });
});
