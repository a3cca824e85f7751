import { appMethods, type AppApi, type AppBridge } from '../../../shared/app-api.js';
import { toAppError } from '../../../shared/app-transport.js';
import { createWebClient } from './web-client.js';

let bridge: AppBridge | undefined;

/**
 * The one AppApi the dashboard uses, whichever host it runs in: the Electron preload's `window.switchboard`, or
 * the web bridge client when the page is served by `switchboard serve`. Either way a failed call throws an
 * `AppError` with its kind (the preload's errors lose their properties crossing contextBridge; they are rebuilt).
 */
export function getBridge(): AppBridge {
  if (bridge) return bridge;
  const preload = typeof window === 'undefined' ? undefined : window.switchboard;
  bridge = preload ? withAppErrors(preload) : createWebClient();
  return bridge;
}

function withAppErrors(preload: AppBridge): AppBridge {
  const methods = Object.fromEntries(
    appMethods.map((method) => [
      method,
      (...args: unknown[]) =>
        (preload[method] as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
          throw toAppError(error);
        }),
    ]),
  ) as unknown as AppApi;
  return { ...methods, on: (event, listener) => preload.on(event, listener) } satisfies AppBridge;
}
