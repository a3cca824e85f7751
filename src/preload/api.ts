import { AppError, appMethods, type AppApi, type AppBridge, type AppReply } from '../shared/app-api.js';
import { appChannels, encodeAppErrorMessage, isAppErrorKind, type AppEventBatch } from '../shared/app-transport.js';
import { AppEventListeners } from '../shared/event-listeners.js';

/** The part of `ipcRenderer` the preload uses; injected so the bridge can be tested without Electron. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The AppBridge the page sees as `window.switchboard`: one narrow function per AppApi method, each a single
 * `invoke` on one channel, plus `on(event, fn)`. The raw Electron event never reaches the page: listeners get the
 * payload only. A failed call rejects with an AppError whose message carries the kind in a prefix, because
 * contextBridge keeps only the message of an Error; `toAppError` (used by the page's `getBridge`) takes it back.
 */
export function createPreloadApi(ipc: PreloadIpc): AppBridge {
  const methods = Object.fromEntries(
    appMethods.map((method) => [
      method,
      async (...args: unknown[]) => {
        let reply: AppReply;
        try {
          reply = (await ipc.invoke(appChannels.invoke, method, args)) as AppReply;
        } catch {
          throw failure('unavailable', `The Switchboard main process did not answer ${method}.`);
        }
        if (reply?.ok === true) return reply.value;
        if (reply?.ok === false && isAppErrorKind(reply.kind)) throw failure(reply.kind, String(reply.message));
        throw failure('internal', `${method} got an answer the dashboard cannot read.`);
      },
    ]),
  ) as unknown as AppApi;

  const onBatch = (_event: unknown, batch: unknown) => {
    if (!Array.isArray(batch)) return;
    for (const { event, payload } of batch as AppEventBatch) listeners.emit(event, payload);
  };
  const listeners = new AppEventListeners({
    onActive: () => ipc.on(appChannels.event, onBatch),
    onIdle: () => ipc.removeListener(appChannels.event, onBatch),
  });
  const on: AppBridge['on'] = (event, listener) => listeners.on(event, listener);

  return { ...methods, on } satisfies AppBridge;
}

function failure(kind: AppError['kind'], message: string): AppError {
  return new AppError(kind, encodeAppErrorMessage(kind, message));
}
