import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { AppError, appMethods, type AppBridge } from '../../../shared/app-api.js';
import { encodeAppErrorMessage } from '../../../shared/app-transport.js';
import { createWebClient, reconnectDelay } from './web-client.js';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Records what the client asks of EventSource; `emit` plays the server's side. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, payload: unknown) {
    for (const fn of this.listeners.get(type) ?? []) fn({ data: JSON.stringify(payload) } as MessageEvent<string>);
  }
}

afterEach(() => {
  FakeEventSource.instances = [];
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the web client', () => {
  it('is an AppBridge with exactly one function per method of the contract, plus on', () => {
    const client = createWebClient('', { fetch: vi.fn() });
    expectTypeOf(client).toEqualTypeOf<AppBridge>();
    expect(Object.keys(client).sort()).toEqual([...appMethods, 'on'].sort());
  });

  it('POSTs the arguments as a JSON array to /api/invoke/<method> with the cookie, and unwraps the value', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true, value: { text: '{}' } }));
    const client = createWebClient('http://127.0.0.1:1', { fetch });
    expect(await client.exportConfig('cursor', undefined)).toEqual({ text: '{}' });
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:1/api/invoke/exportConfig', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: '["cursor"]', // a trailing undefined is left out, not sent as null
    });
  });

  it('throws AppError(kind, message) for { ok: false } and for refusals that are not AppReplies', async () => {
    const replies = [
      jsonResponse(200, { ok: false, kind: 'conflict', message: 'a server named "x" exists' }),
      jsonResponse(401, { ok: false, kind: 'forbidden', message: 'Not signed in' }),
      jsonResponse(403, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Forbidden: Origin' } }),
      new Response('<html>bad gateway</html>', { status: 502 }),
    ];
    const client = createWebClient('', { fetch: async () => replies.shift()! });
    const errors = [];
    for (let i = 0; i < 4; i++) errors.push(await client.listServers().catch((e: unknown) => e));
    for (const e of errors) expect(e).toBeInstanceOf(AppError);
    expect(errors.map((e) => [(e as AppError).kind, (e as AppError).message])).toEqual([
      ['conflict', 'a server named "x" exists'],
      ['forbidden', 'Not signed in'],
      ['forbidden', 'Forbidden: Origin'],
      ['unavailable', 'Switchboard answered HTTP 502.'],
    ]);
    const offline = createWebClient('', {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(offline.getAppInfo()).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('shares one EventSource among listeners and closes it when the last one leaves', () => {
    const client = createWebClient('', { fetch: vi.fn(), EventSource: FakeEventSource });
    expect(FakeEventSource.instances).toHaveLength(0); // nothing opened until someone listens
    const a = vi.fn();
    const b = vi.fn();
    const w = vi.fn();
    const offA = client.on('metrics', a);
    const offB = client.on('metrics', b);
    const offW = client.on('warning', w);
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('/api/events');
    expect(source.listeners.get('metrics')).toHaveLength(1);

    source.emit('metrics', { time: 1, servers: {}, sessions: [] });
    source.emit('warning', { message: 'w' });
    expect(a).toHaveBeenCalledWith({ time: 1, servers: {}, sessions: [] });
    expect(b).toHaveBeenCalledOnce();
    expect(w).toHaveBeenCalledWith({ message: 'w' });

    offA();
    source.emit('metrics', { time: 2, servers: {}, sessions: [] });
    expect(a).toHaveBeenCalledOnce();
    expect(b).toHaveBeenCalledTimes(2);
    offB();
    expect(source.closed).toBe(false);
    offW();
    expect(source.closed).toBe(true);

    client.on('logs', vi.fn());
    expect(FakeEventSource.instances).toHaveLength(2); // a new one on the next listener
  });
});

describe('the event stream when the host goes away', () => {
  it('says the connection is lost, reopens with backoff, re-subscribes, and says when it is back', () => {
    const timers: Array<{ fn: () => void; ms: number }> = [];
    const client = createWebClient('', {
      fetch: vi.fn(),
      EventSource: FakeEventSource,
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
      clearTimeout: () => {},
      random: () => 0.5,
    });
    const connection = vi.fn();
    const logs = vi.fn();
    client.on('connection', connection);
    client.on('logs', logs);
    const first = FakeEventSource.instances[0]!;
    expect(first.listeners.has('connection')).toBe(false); // page-side only: never asked of the host
    first.emit('error', {});
    expect(first.closed).toBe(true);
    expect(connection).toHaveBeenLastCalledWith({ state: 'lost', attempt: 1, retryInMs: 1000 });
    timers.shift()!.fn();
    const second = FakeEventSource.instances[1]!;
    second.emit('error', {});
    expect(connection).toHaveBeenLastCalledWith({ state: 'lost', attempt: 2, retryInMs: 2000 });
    timers.shift()!.fn();
    const third = FakeEventSource.instances[2]!;
    third.emit('open', {});
    expect(connection).toHaveBeenLastCalledWith({ state: 'online' });
    third.emit('logs', [{ message: 'after' }]);
    expect(logs).toHaveBeenCalledWith([{ message: 'after' }]);
    // An error on a source already replaced changes nothing.
    first.emit('error', {});
    expect(connection).toHaveBeenCalledTimes(3);
  });

  it('backs off 1 s doubling to 30 s, with ±20 % jitter', () => {
    expect([1, 2, 3, 6, 7, 20].map((n) => reconnectDelay(n, () => 0.5))).toEqual([
      1000, 2000, 4000, 30_000, 30_000, 30_000,
    ]);
    expect(reconnectDelay(1, () => 0)).toBe(800);
    expect(reconnectDelay(1, () => 1)).toBe(1200);
  });
});

describe('getBridge', () => {
  it('uses the preload when present and rebuilds error kinds lost crossing contextBridge', async () => {
    const preload = Object.fromEntries(
      appMethods.map((m) => [m, async () => Promise.reject(new Error(encodeAppErrorMessage('timeout', 'slow')))]),
    );
    const on = vi.fn(() => () => {});
    vi.stubGlobal('window', { switchboard: { ...preload, on } });
    const { getBridge } = await import('./bridge.js');
    const bridge = getBridge();
    expect(getBridge()).toBe(bridge);
    await expect(bridge.listTools('x')).rejects.toMatchObject({ name: 'AppError', kind: 'timeout', message: 'slow' });
    bridge.on('logs', () => {});
    expect(on).toHaveBeenCalledOnce();
  });

  it('falls back to the web client when there is no preload', async () => {
    vi.stubGlobal('window', {});
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true, value: [] }));
    vi.stubGlobal('fetch', fetch);
    const { getBridge } = await import('./bridge.js');
    expect(await getBridge().listServers()).toEqual([]);
    expect(fetch).toHaveBeenCalledWith('/api/invoke/listServers', expect.objectContaining({ method: 'POST' }));
  });
});
