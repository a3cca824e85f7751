import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'jsonc-parser';
import { afterEach, describe, expect, it } from 'vitest';
import {
  exportClientConfig,
  parseClientConfig,
  toExportServers,
  writeClientConfig,
  type ClientKind,
  type ExportServer,
} from '../src/main/core/config/client-configs.js';

const fixtures = fileURLToPath(new URL('./fixtures/client-configs/', import.meta.url));
const files: Record<ClientKind, string> = {
  'claude-desktop': 'claude_desktop_config.json',
  cursor: 'cursor-mcp.json',
  windsurf: 'windsurf-mcp_config.json',
  vscode: 'vscode-mcp.json',
};
const clients = Object.keys(files) as ClientKind[];
const text = (client: ClientKind) => readFileSync(join(fixtures, files[client]), 'utf8');
const load = (client: ClientKind, source = text(client)) =>
  parseClientConfig(source, { client, env: {}, workspaceFolder: '/w', readFile: () => '' });

function exported(client: ClientKind, servers: ExportServer[], existing?: string) {
  const result = exportClientConfig(client, servers, { existing });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('client config export', () => {
  it.each(clients)('round-trips the %s fixture byte for byte', (client) => {
    const servers = toExportServers(load(client));
    expect(exported(client, servers, text(client)).text).toBe(text(client));
  });

  it.each(clients)('writes a new %s file that imports back to the same servers', (client) => {
    const servers = toExportServers(load(client));
    const out = exported(client, servers);
    const local = servers.filter((s) => client !== 'claude-desktop' || !('url' in s));
    expect(toExportServers(load(client, out.text))).toEqual(local);
  });

  it('keeps placeholders as written: an answered password input is not written into the file', () => {
    const answered = parseClientConfig(text('vscode'), {
      client: 'vscode',
      env: {},
      workspaceFolder: '/w',
      answers: { 'perplexity-key': 'pplx-secret-answer' },
      readFile: () => '',
    });
    const out = exported('vscode', toExportServers(answered), text('vscode')).text;
    expect(out).not.toContain('pplx-secret-answer');
    expect(out).toContain('${input:perplexity-key}');
  });

  it('preserves globalShortcut and servers it does not manage when adding and changing servers', () => {
    const out = exported(
      'claude-desktop',
      [
        { name: 'memory', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory@1'] },
        { name: 'new one', command: 'uvx', args: ['thing'], env: { A: '1' } },
      ],
      text('claude-desktop'),
    ).text;
    const file = parse(out);
    expect(file.globalShortcut).toBe('Ctrl+Space');
    expect(Object.keys(file.mcpServers)).toEqual([
      'filesystem',
      'memory',
      'github',
      'fetch',
      'sqlite on windows',
      'new one',
    ]);
    expect(file.mcpServers.memory).toEqual({
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory@1'],
    });
    expect(file.mcpServers.github.env.GITHUB_PERSONAL_ACCESS_TOKEN).toMatch(/^ghp_/);
    expect(file.mcpServers['new one']).toEqual({ command: 'uvx', args: ['thing'], env: { A: '1' } });
  });

  it('keeps VS Code inputs and comments, and adds only inputs the file lacks', () => {
    const result = exportClientConfig('vscode', [{ name: 'extra', command: 'node', args: ['${input:token}'] }], {
      existing: text('vscode'),
      inputs: [
        { id: 'perplexity-key', type: 'promptString', password: true },
        { id: 'token', type: 'promptString', description: 'Token', password: true },
      ],
    });
    expect(result.ok).toBe(true);
    const out = result.ok ? result.value.text : '';
    expect(out.startsWith('// .vscode/mcp.json — VS Code accepts comments')).toBe(true);
    const file = parse(out);
    expect(file.inputs.map((i: { id: string }) => i.id)).toEqual(['perplexity-key', 'token']);
    expect(file.inputs[0].description).toBe('Perplexity API Key');
    expect(file.servers.extra).toEqual({ type: 'stdio', command: 'node', args: ['${input:token}'] });
    expect(file.servers.perplexity.envFile).toBe('${workspaceFolder}/.env');
  });

  it('removes only the entries it is told to', () => {
    const out = exported('windsurf', [], text('windsurf'));
    expect(out.text).toBe(text('windsurf'));
    const removed = exportClientConfig('windsurf', [], { existing: text('windsurf'), remove: ['git', 'absent'] });
    expect(Object.keys(parse(removed.ok ? removed.value.text : '').mcpServers)).toEqual([
      'remote-search',
      'disabled-one',
    ]);
  });

  it('writes remote servers in each client’s own shape, and skips them for Claude Desktop', () => {
    const remote: ExportServer = { name: 'docs', url: 'https://docs.example.com/mcp', type: 'sse' };
    expect(parse(exported('windsurf', [remote]).text).mcpServers.docs).toEqual({ serverUrl: remote.url });
    expect(parse(exported('cursor', [remote]).text).mcpServers.docs).toEqual({ url: remote.url });
    expect(parse(exported('vscode', [remote]).text).servers.docs).toEqual({ type: 'sse', url: remote.url });
    const claude = exported('claude-desktop', [remote]);
    expect(parse(claude.text)).toEqual({});
    expect(claude.skipped).toEqual([{ name: 'docs', reason: expect.stringMatching(/only local \(stdio\)/) }]);
  });

  it('turns a stdio entry into a remote one without leaving stale fields, keeping unknown per-entry keys', () => {
    const existing = '{"mcpServers":{"s":{"command":"x","args":["a"],"autoApprove":["t"]}}}';
    const out = exported('cursor', [{ name: 's', url: 'https://h/mcp' }], existing).text;
    expect(parse(out).mcpServers.s).toEqual({ url: 'https://h/mcp', autoApprove: ['t'] });
  });

  it('refuses to overwrite an existing file it cannot parse', () => {
    const result = exportClientConfig('cursor', [{ name: 'a', command: 'b' }], { existing: '{"mcpServers": {' });
    expect(result).toMatchObject({ ok: false, kind: 'invalid_existing' });
  });

  it('notes envFile for clients that do not read it', () => {
    const out = exported('cursor', [{ name: 'a', command: 'b', envFile: '.env' }]);
    expect(parse(out.text).mcpServers.a).toEqual({ command: 'b' });
    expect(out.notes[0]).toMatch(/envFile is a VS Code feature/);
  });

  describe('writeClientConfig', () => {
    let dir: string | undefined;
    afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('merges into the file, keeps a backup, and creates missing folders', () => {
      dir = mkdtempSync(join(tmpdir(), 'sb-export-'));
      const path = join(dir, 'Claude', 'claude_desktop_config.json');
      const created = writeClientConfig(path, 'claude-desktop', [{ name: 'a', command: 'b' }]);
      expect(created).toMatchObject({ ok: true });
      expect(existsSync(`${path}.switchboard-backup`)).toBe(false);

      writeFileSync(path, text('claude-desktop'));
      const merged = writeClientConfig(path, 'claude-desktop', [{ name: 'a', command: 'b' }]);
      expect(merged).toMatchObject({ ok: true, value: { backup: `${path}.switchboard-backup` } });
      expect(readFileSync(`${path}.switchboard-backup`, 'utf8')).toBe(text('claude-desktop'));
      expect(parse(readFileSync(path, 'utf8')).globalShortcut).toBe('Ctrl+Space');
    });
  });
});
