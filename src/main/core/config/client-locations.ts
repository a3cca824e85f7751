import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { ClientConfigLocation } from '../../../shared/client-formats.js';

export type { ClientConfigLocation } from '../../../shared/client-formats.js';

/**
 * Where each client keeps its MCP configuration on each OS. A pure function of its inputs (no `os.homedir()`,
 * no `process.env`), so tests can ask about Windows from Linux and point HOME at a temp folder.
 */
export function clientConfigLocations(
  home: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  workspaceFolder?: string,
): ClientConfigLocation[] {
  const path = platform === 'win32' ? win32 : posix;
  // The folder each OS gives applications for per-user settings; Electron apps (Claude, VS Code) use it.
  const appData =
    platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? env.APPDATA || path.join(home, 'AppData', 'Roaming')
        : env.XDG_CONFIG_HOME || path.join(home, '.config');

  const user = (client: ClientConfigLocation['client'], file: string): ClientConfigLocation => ({
    client,
    scope: 'user',
    path: file,
  });
  const locations = [
    user('claude-desktop', path.join(appData, 'Claude', 'claude_desktop_config.json')),
    user('cursor', path.join(home, '.cursor', 'mcp.json')),
    user('windsurf', path.join(home, '.codeium', 'windsurf', 'mcp_config.json')),
    user('vscode', path.join(appData, 'Code', 'User', 'mcp.json')),
  ];
  if (workspaceFolder !== undefined) {
    locations.push(
      { client: 'vscode', scope: 'workspace', path: path.join(workspaceFolder, '.vscode', 'mcp.json') },
      { client: 'cursor', scope: 'workspace', path: path.join(workspaceFolder, '.cursor', 'mcp.json') },
    );
  }
  return locations;
}

/** The locations from {@link clientConfigLocations} that hold a file. `exists` is swappable for tests. */
export function discoverClientConfigs(
  home: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  options: { workspaceFolder?: string; exists?: (path: string) => boolean } = {},
): ClientConfigLocation[] {
  const exists = options.exists ?? existsSync;
  return clientConfigLocations(home, platform, env, options.workspaceFolder).filter((l) => exists(l.path));
}
