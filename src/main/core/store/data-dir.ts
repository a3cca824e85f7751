import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface DataDirInputs {
  /** `--data-dir`, or Electron's `app.getPath('userData')`: used as given when set. */
  explicit?: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/**
 * Where Switchboard keeps switchboard.db: the explicit folder when there is one, else the platform's usual
 * per-user data folder (the same folder Electron's userData would be for "MCP Switchboard" on macOS and Windows).
 */
export function resolveDataDir({
  explicit,
  platform = process.platform,
  env = process.env,
  home = homedir(),
}: DataDirInputs = {}): string {
  if (explicit) return explicit;
  switch (platform) {
    case 'win32':
      return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'MCP Switchboard');
    case 'darwin':
      return posix.join(home, 'Library', 'Application Support', 'MCP Switchboard');
    default:
      // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
      return posix.join(
        env.XDG_DATA_HOME && posix.isAbsolute(env.XDG_DATA_HOME)
          ? env.XDG_DATA_HOME
          : posix.join(home, '.local', 'share'),
        'mcp-switchboard',
      );
  }
}

/**
 * Where the desktop app's data may be: Electron's userData, `<config folder>/<app name>`, for the packaged app
 * ("MCP Switchboard", electron-builder.yml) and for `npm start` from a checkout ("mcp-switchboard", package.json).
 * On macOS and Windows the packaged one is resolveDataDir's folder already; on Linux it is not (~/.config, not
 * ~/.local/share).
 */
export function desktopDataDirs({
  platform = process.platform,
  env = process.env,
  home = homedir(),
}: Omit<DataDirInputs, 'explicit'> = {}): string[] {
  const names = ['MCP Switchboard', 'mcp-switchboard'];
  switch (platform) {
    case 'win32':
      return names.map((n) => win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), n));
    case 'darwin':
      return names.map((n) => posix.join(home, 'Library', 'Application Support', n));
    default: {
      const config =
        env.XDG_CONFIG_HOME && posix.isAbsolute(env.XDG_CONFIG_HOME)
          ? env.XDG_CONFIG_HOME
          : posix.join(home, '.config');
      return names.map((n) => posix.join(config, n));
    }
  }
}

/** The folders a running Switchboard may have recorded its endpoint in: the explicit one, else serve's and the app's. */
export function endpointDirs(inputs: DataDirInputs = {}): string[] {
  if (inputs.explicit) return [inputs.explicit];
  return [...new Set([resolveDataDir(inputs), ...desktopDataDirs(inputs)])];
}
