import type { App, Session } from 'electron';
import { shell } from 'electron';

/** Only web pages leave the app, in the user's browser; `file:`, `smb:`, custom schemes and the rest never do. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function openExternalSafely(url: string): boolean {
  if (!isExternalWebUrl(url)) return false;
  void shell.openExternal(url);
  return true;
}

/** The dashboard needs no camera, microphone, notifications, USB, HID or serial: every request is refused. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Applies to every web contents, including any created later: no page can navigate the app's window away, attach
 * a webview, or open a window. A link to a web page opens in the user's browser instead.
 */
export function hardenWebContents(app: App, isOwnUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      if (!isOwnUrl(url)) openExternalSafely(url);
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
  });
}
