import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { AppInfo, AppMethod, AppReply } from '../../shared/app-api.js';
import { appChannels } from '../../shared/app-transport.js';
import type { AppHost } from '../core/app/app-host.js';
import { invoke } from '../core/app/dispatch.js';
import { EventBatcher } from '../core/app/event-batcher.js';
import type { Logger } from '../core/util/logger.js';

export interface AppIpcOptions {
  host: AppHost;
  /** True only for the main frame of one of the app's own windows, showing the app's own page. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  logger?: Logger;
  /** After every successful call (the shell follows settings changes, e.g. start at login). */
  onSettled?(method: AppMethod, reply: AppReply): void;
}

/**
 * One `ipcMain.handle` for the whole AppApi: the method name travels with the call and is checked against the
 * contract's list by `invoke`, so the handlers are generated from the contract, never written twice. A sender
 * that is not one of the app's own pages (an iframe, a stray webContents) is refused before anything runs.
 * Returns the unregister.
 */
export function registerAppIpc(ipcMain: IpcMain, options: AppIpcOptions): () => void {
  ipcMain.handle(appChannels.invoke, async (event, method: unknown, args: unknown): Promise<AppReply> => {
    if (!options.isTrustedSender(event)) {
      options.logger?.warn('refused an AppApi call from a page that is not the dashboard', {
        url: event.senderFrame?.url ?? null,
      });
      return { ok: false, kind: 'forbidden', message: 'Only the Switchboard dashboard may call this.' };
    }
    const reply = await invoke(options.host.api, method, args, { logger: options.logger });
    if (reply.ok && method === 'getAppInfo') {
      reply.value = { ...(reply.value as AppInfo), host: 'electron' } satisfies AppInfo;
    }
    if (reply.ok) options.onSettled?.(method as AppMethod, reply);
    return reply;
  });
  return () => ipcMain.removeHandler(appChannels.invoke);
}

/** The sender check for `registerAppIpc`: own window, main frame, own page. */
export function trustedSender(
  owns: (contents: IpcMainInvokeEvent['sender']) => boolean,
  isOwnUrl: (url: string) => boolean,
): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && owns(event.sender) && isOwnUrl(frame.url);
  };
}

/**
 * Sends the engine's events to the app's windows, coalesced by an EventBatcher: about ten IPC messages a second
 * however busy the servers are, never one per frame. Returns the stop.
 */
export function forwardAppEvents(host: AppHost, windows: () => BrowserWindow[], logger?: Logger): () => void {
  const batcher = new EventBatcher({
    deliver(batch) {
      for (const window of windows()) {
        if (!window.isDestroyed() && !window.webContents.isDestroyed())
          window.webContents.send(appChannels.event, batch);
      }
    },
    onError: (error) => logger?.error(`forwarding events failed: ${(error as Error).stack ?? error}`),
  });
  const off = host.onEvent((event, payload) => batcher.push(event, payload));
  return () => {
    off();
    batcher.dispose();
  };
}
