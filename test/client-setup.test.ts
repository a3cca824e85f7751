// One-click client setup (issue 14): real config files of each client in a temp HOME, edited through a real host
// (store, engine, the Import page's import); before/after texts compared exactly with the expected files.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import type { ClientSetup, EntryInputs } from '../src/main/core/config/client-setup.js';
import { clientSetupFor } from '../src/main/core/config/client-setup-service.js';
import { startHost, tempDir } from './helpers/host.js';

const fixtures = fileURLToPath(new URL('./fixtures/client-setup/', import.meta.url));
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const expected = (name: string) => readFileSync(join(fixtures, 'expected', name), 'utf8');

let home: string;
let workspace: string;
let host: RunningHost;
let setup: ClientSetup;
let inputs: EntryInputs;
const paths = {} as Record<'claude' | 'cursor' | 'windsurf' | 'vscodeUser' | 'vscodeWorkspace', string>;

function place(name: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  cpSync(join(fixtures, name), path);
}

beforeAll(async () => {
  home = tempDir('switchboard-setup-home-');
  workspace = tempDir('switchboard-setup-ws-');
  delete process.env.XDG_CONFIG_HOME; // the Linux locations are then under $HOME/.config
  paths.claude = join(home, '.config', 'Claude', 'claude_desktop_config.json');
  paths.cursor = join(home, '.cursor', 'mcp.json');
  paths.windsurf = join(home, '.codeium', 'windsurf', 'mcp_config.json');
  paths.vscodeUser = join(home, '.config', 'Code', 'User', 'mcp.json');
  paths.vscodeWorkspace = join(workspace, '.vscode', 'mcp.json');
  place('claude_desktop_config.json', paths.claude);
  place('cursor-mcp.json', paths.cursor);
  place('windsurf-mcp_config.json', paths.windsurf);
  place('vscode-mcp.json', paths.vscodeWorkspace);
  mkdirSync(dirname(paths.vscodeUser), { recursive: true }); // VS Code installed, no MCP config yet
  host = await startHost({ dataDir: join(home, 'data') });
  inputs = {
    baseUrl: 'http://127.0.0.1:8808',
    token: 'tok-123',
    connectCommand: { command: '/usr/bin/node', args: ['/opt/sb/bin/switchboard', 'connect', '--data-dir', '/data'] },
  };
  setup = clientSetupFor(host.service, {
    dataDir: host.dataDir,
    home: () => home,
    workspaceFolder: workspace,
    entryInputs: () => inputs,
  });
});
afterAll(async () => {
  await host?.stop();
});

describe('client setup', () => {
  it('lists each client found, with its own stdio servers, none connected yet', () => {
    const list = setup.list();
    expect(list.map((s) => [s.client, s.scope, s.path, s.exists, s.state])).toEqual([
      ['claude-desktop', 'user', paths.claude, true, 'not-connected'],
      ['cursor', 'user', paths.cursor, true, 'not-connected'],
      ['windsurf', 'user', paths.windsurf, true, 'not-connected'],
      ['vscode', 'user', paths.vscodeUser, false, 'not-connected'],
      ['vscode', 'workspace', paths.vscodeWorkspace, true, 'not-connected'],
    ]);
    expect(list[0]!.ownServers).toEqual(['filesystem', 'memory', 'github', 'fetch', 'sqlite on windows']);
    expect(list[2]!.ownServers).toEqual(['git', 'disabled-one']); // remote entries are not ours to move
  });

  it('previews the smallest edit for every client, keeping comments and other keys; writes nothing', async () => {
    const cases = [
      [paths.claude, 'claude_desktop_config.json', 'claude_desktop_config.json', ['github', 'fetch']],
      [paths.cursor, 'cursor-mcp.json', 'cursor-mcp.json', ['sequential-thinking', 'postgres']],
      [paths.windsurf, 'windsurf-mcp_config.json', 'windsurf-mcp_config.json', ['git', 'disabled-one']],
      [paths.vscodeWorkspace, 'vscode-mcp.json', 'vscode-mcp.json', ['everything', 'perplexity', 'workspace-files']],
    ] as const;
    for (const [path, source, result, move] of cases) {
      const preview = await setup.preview({ path, moveServers: [...move] });
      expect(preview.before).toBe(fixture(source));
      expect(preview.after).toBe(expected(result));
      expect(readFileSync(path, 'utf8')).toBe(fixture(source));
      expect(preview.diff.filter((l) => l.op === ' ').length).toBeGreaterThan(0);
    }
    // What cannot run as it is stays in the client, with the reason.
    const cursor = await setup.preview({ path: paths.cursor, moveServers: ['sequential-thinking', 'postgres'] });
    expect(cursor.moved).toEqual(['sequential-thinking']);
    expect(cursor.notMoved).toEqual([{ name: 'postgres', reason: expect.stringMatching(/PGPASSWORD/) }]);
    // The diff the page shows has the credentials masked: the client's own, and the one Switchboard writes.
    const shown = (p: string) => setup.preview({ path: p }).then((r) => r.diff.map((l) => l.text).join('\n'));
    const claudeDiff = await shown(paths.claude);
    expect(claudeDiff).not.toContain('ghp_');
    expect(claudeDiff).toContain('"GITHUB_PERSONAL_ACCESS_TOKEN": "•••"');
    const cursorDiff = await shown(paths.cursor);
    expect(cursorDiff).toContain('"Authorization": "Bearer •••"');
    expect(cursorDiff).not.toContain('tok-123');
    expect(cursorDiff).toContain('"PGPASSWORD": "${env:PGPASSWORD}"'); // a placeholder is not a secret
    const user = await setup.preview({ path: paths.vscodeUser });
    expect(user.before).toBe('');
    expect(user.after).toBe(expected('vscode-user-mcp.json'));
    expect(existsSync(paths.vscodeUser)).toBe(false);
    expect(host.engine.servers.size).toBe(0);
  });

  it('adds Switchboard and moves servers in; Undo restores the file byte for byte and takes them out', async () => {
    const applied = await setup.apply({ path: paths.claude, moveServers: ['github', 'fetch'] });
    expect(readFileSync(paths.claude, 'utf8')).toBe(expected('claude_desktop_config.json'));
    expect(applied.state).toBe('connected');
    expect(applied.ownServers).toEqual(['filesystem', 'memory', 'sqlite on windows']);
    expect(applied.backup?.imported.sort()).toEqual(['fetch', 'github']);
    const github = host.store.servers.get('github');
    expect(github?.command).toBe('docker');
    expect(github?.secretEnvKeys).toEqual(['GITHUB_PERSONAL_ACCESS_TOKEN']); // the inline token is kept as a secret
    expect(readFileSync(applied.backup!.path, 'utf8')).toContain('"imported"');

    const undone = await setup.undo(paths.claude);
    expect(readFileSync(paths.claude, 'utf8')).toBe(fixture('claude_desktop_config.json'));
    expect(undone.state).toBe('not-connected');
    expect(undone.backup).toBeNull();
    expect(host.engine.servers.has('github') || host.engine.servers.has('fetch')).toBe(false);
    await expect(setup.undo(paths.claude)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('creates a missing file and removes it again on Undo; says "outdated" when the entry no longer matches', async () => {
    await setup.apply({ path: paths.vscodeUser });
    expect(readFileSync(paths.vscodeUser, 'utf8')).toBe(expected('vscode-user-mcp.json'));
    await setup.undo(paths.vscodeUser);
    expect(existsSync(paths.vscodeUser)).toBe(false);

    expect((await setup.apply({ path: paths.windsurf })).state).toBe('connected');
    inputs = { ...inputs, token: 'rotated' };
    expect(setup.list().find((s) => s.path === paths.windsurf)?.state).toBe('outdated');
    await setup.undo(paths.windsurf);
    expect(readFileSync(paths.windsurf, 'utf8')).toBe(fixture('windsurf-mcp_config.json'));
  });

  it('refuses paths it does not know and files it cannot read, and changes nothing', async () => {
    const elsewhere = join(home, 'not-a-client.json');
    await expect(setup.preview({ path: elsewhere })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(setup.apply({ path: elsewhere })).rejects.toMatchObject({ kind: 'not_found' });
    expect(existsSync(elsewhere)).toBe(false);

    writeFileSync(paths.cursor, '{ "mcpServers": { ');
    expect(setup.list().find((s) => s.path === paths.cursor)).toMatchObject({ state: 'unreadable' });
    await expect(setup.apply({ path: paths.cursor })).rejects.toMatchObject({ kind: 'invalid' });
    expect(readFileSync(paths.cursor, 'utf8')).toBe('{ "mcpServers": { ');
  });
});
