import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { AppError, appMethods, type AppBridge, type AppMethod } from '../shared/app-api.js';
import { appChannels, toAppError, type AppEventBatch } from '../shared/app-transport.js';
import { createPreloadApi, type PreloadIpc } from './api.js';

type Handler = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(answer: (method: string, args: unknown[]) => unknown) {
  const handlers = new Map<string, Set<Handler>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, method: unknown, args: unknown) => {
      expect(channel).toBe(appChannels.invoke);
      return answer(method as string, args as unknown[]);
    }),
    on: vi.fn((channel: string, fn: Handler) => {
      if (!handlers.has(channel)) handlers.set(channel, new Set());
      handlers.get(channel)!.add(fn);
    }),
    removeListener: vi.fn((channel: string, fn: Handler) => handlers.get(channel)?.delete(fn)),
  } satisfies PreloadIpc;
  const send = (batch: AppEventBatch) => {
    const rawEvent = { sender: 'the raw IpcRendererEvent', ports: [] };
    for (const fn of handlers.get(appChannels.event) ?? []) fn(rawEvent, batch);
  };
  return { ipc, send, listening: () => handlers.get(appChannels.event)?.size ?? 0 };
}

describe('the preload bridge', () => {
  it('is an AppBridge with exactly one function per method of the contract, plus on', () => {
    const api = createPreloadApi(fakeIpc(() => ({ ok: true, value: null })).ipc);
    expectTypeOf(api).toEqualTypeOf<AppBridge>();
    expectTypeOf<Exclude<AppMethod, (typeof appMethods)[number]>>().toBeNever();
    expect(Object.keys(api).sort()).toEqual([...appMethods, 'on'].sort());
    for (const key of Object.keys(api))
      expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
  });

  it('sends the method and its arguments on one channel and unwraps the reply', async () => {
    const { ipc } = fakeIpc((method, args) => ({ ok: true, value: { method, args } }));
    const api = createPreloadApi(ipc);
    expect(await api.callTool('fx', 'echo', { message: 'hi' })).toEqual({
      method: 'callTool',
      args: ['fx', 'echo', { message: 'hi' }],
    });
    expect(ipc.invoke).toHaveBeenCalledWith('app:invoke', 'callTool', ['fx', 'echo', { message: 'hi' }]);
  });

  it('rejects with an error whose kind survives even when only the message crosses contextBridge', async () => {
    const { ipc } = fakeIpc(() => ({ ok: false, kind: 'not_found', message: 'no server named "x"' }));
    const error = await createPreloadApi(ipc)
      .startServer('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    // What contextBridge does to an Error: a new Error with the message only.
    const copied = new Error((error as Error).message);
    const rebuilt = toAppError(copied);
    expect(rebuilt).toBeInstanceOf(AppError);
    expect(rebuilt.kind).toBe('not_found');
    expect(rebuilt.message).toBe('no server named "x"');
  });

  it('turns a failed invoke (no handler in main) into "unavailable"', async () => {
    const api = createPreloadApi({
      invoke: async () => {
        throw new Error("No handler registered for 'app:invoke'");
      },
      on: () => {},
      removeListener: () => {},
    });
    expect(toAppError(await api.listServers().catch((e: unknown) => e)).kind).toBe('unavailable');
  });

  it('hands listeners the payload only, never the raw Electron event; each listener has its own unsubscribe', () => {
    const { ipc, send, listening } = fakeIpc(() => null);
    const api = createPreloadApi(ipc);
    const logs = vi.fn();
    const logs2 = vi.fn();
    const warnings = vi.fn();
    const offLogs = api.on('logs', logs);
    const offLogs2 = api.on('logs', logs2);
    const offWarnings = api.on('warning', warnings);
    expect(listening()).toBe(1);

    const line = { time: 1, level: 'info' as const, source: 'engine', message: 'm' };
    send([
      { event: 'logs', payload: [line] },
      { event: 'warning', payload: { message: 'w' } },
    ]);
    expect(logs).toHaveBeenCalledWith([line]);
    expect(logs.mock.calls[0]).toHaveLength(1);
    expect(warnings).toHaveBeenCalledWith({ message: 'w' });

    offLogs();
    offLogs(); // twice is harmless
    send([{ event: 'logs', payload: [line] }]);
    expect(logs).toHaveBeenCalledTimes(1);
    expect(logs2).toHaveBeenCalledTimes(2);

    offLogs2();
    offWarnings();
    expect(listening()).toBe(0);
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const { ipc, send } = fakeIpc(() => null);
    const api = createPreloadApi(ipc);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    api.on('warning', () => {
      throw new Error('bad listener');
    });
    api.on('warning', good);
    send([{ event: 'warning', payload: { message: 'w' } }]);
    expect(good).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
