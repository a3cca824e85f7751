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
