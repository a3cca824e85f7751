import type { App } from 'electron';
import type { Logger } from '../core/util/logger.js';

/** Passed when the system starts the app at login, so it opens in the tray instead of on screen. */
export const HIDDEN_FLAG = '--hidden';

/**
 * Follows the `startAtLogin` setting. macOS and Windows have a login-item API; on Linux desktops autostart is a
 * .desktop file the user manages, so it is only logged.
 */
export function applyStartAtLogin(app: App, enabled: boolean, logger?: Logger): void {
  if (process.platform !== 'darwin' && process.platform !== 'win32') {
    if (enabled) logger?.info('start at login is not managed on Linux: add MCP Switchboard to your autostart apps');
    return;
  }
  if (app.getLoginItemSettings().openAtLogin === enabled) return;
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
}

/** True when the system started the app at login: stay in the tray. */
export function startedHidden(app: App, argv: string[] = process.argv): boolean {
  return argv.includes(HIDDEN_FLAG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}
