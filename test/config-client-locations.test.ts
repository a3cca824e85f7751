import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConfigLocations, discoverClientConfigs } from '../src/main/core/config/client-configs.js';

const paths = (locations: Array<{ client: string; scope: string; path: string }>) =>
  locations.map((l) => `${l.client}/${l.scope}: ${l.path}`);

describe('client config locations', () => {
  it('knows the macOS locations', () => {
    expect(paths(clientConfigLocations('/Users/alice', 'darwin', {}))).toEqual([
      'claude-desktop/user: /Users/alice/Library/Application Support/Claude/claude_desktop_config.json',
      'cursor/user: /Users/alice/.cursor/mcp.json',
      'windsurf/user: /Users/alice/.codeium/windsurf/mcp_config.json',
      'vscode/user: /Users/alice/Library/Application Support/Code/User/mcp.json',
    ]);
  });

  it('knows the Windows locations, from APPDATA when set', () => {
    const env = { APPDATA: 'D:\\Roaming' };
    expect(paths(clientConfigLocations('C:\\Users\\alice', 'win32', env))).toEqual([
      'claude-desktop/user: D:\\Roaming\\Claude\\claude_desktop_config.json',
      'cursor/user: C:\\Users\\alice\\.cursor\\mcp.json',
      'windsurf/user: C:\\Users\\alice\\.codeium\\windsurf\\mcp_config.json',
      'vscode/user: D:\\Roaming\\Code\\User\\mcp.json',
    ]);
    expect(clientConfigLocations('C:\\Users\\alice', 'win32', {})[0]!.path).toBe(
      'C:\\Users\\alice\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
  });

  it('knows the Linux locations, honouring XDG_CONFIG_HOME, plus workspace files', () => {
    expect(paths(clientConfigLocations('/home/alice', 'linux', {}, '/src/proj'))).toEqual([
      'claude-desktop/user: /home/alice/.config/Claude/claude_desktop_config.json',
      'cursor/user: /home/alice/.cursor/mcp.json',
      'windsurf/user: /home/alice/.codeium/windsurf/mcp_config.json',
      'vscode/user: /home/alice/.config/Code/User/mcp.json',
      'vscode/workspace: /src/proj/.vscode/mcp.json',
      'cursor/workspace: /src/proj/.cursor/mcp.json',
    ]);
    expect(clientConfigLocations('/home/alice', 'linux', { XDG_CONFIG_HOME: '/xdg' })[0]!.path).toBe(
      '/xdg/Claude/claude_desktop_config.json',
    );
  });

  describe('discoverClientConfigs', () => {
    let home: string | undefined;
    afterEach(() => home && rmSync(home, { recursive: true, force: true }));

    it('lists only the files that exist under the given HOME', () => {
      home = mkdtempSync(join(tmpdir(), 'sb-home-'));
      for (const file of ['.cursor/mcp.json', '.config/Claude/claude_desktop_config.json', 'proj/.vscode/mcp.json']) {
        mkdirSync(dirname(join(home, file)), { recursive: true });
        writeFileSync(join(home, file), '{}');
      }
      const found = discoverClientConfigs(home, 'linux', {}, { workspaceFolder: join(home, 'proj') });
      expect(found.map((l) => [l.client, l.scope])).toEqual([
        ['claude-desktop', 'user'],
        ['cursor', 'user'],
        ['vscode', 'workspace'],
      ]);
    });
  });
});
