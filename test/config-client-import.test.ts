import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseClientConfig,
  previewImport,
  readClientConfig,
  type ClientImportOptions,
  type ClientKind,
  type ImportedEntry,
  type ImportedStdioEntry,
  type PreviewRow,
} from '../src/main/core/config/client-configs.js';

// Copies of the team's client-config samples live in the repo, so a lone clone passes its tests.
const fixtures = fileURLToPath(new URL('./fixtures/client-configs/', import.meta.url));
const files: Record<ClientKind, string> = {
  'claude-desktop': 'claude_desktop_config.json',
  cursor: 'cursor-mcp.json',
  windsurf: 'windsurf-mcp_config.json',
  vscode: 'vscode-mcp.json',
};
const text = (client: ClientKind) => readFileSync(join(fixtures, files[client]), 'utf8');

function load(client: ClientKind, options: Partial<ClientImportOptions> = {}) {
  return parseClientConfig(text(client), { client, env: {}, platform: 'linux', ...options });
}
const entry = (entries: ImportedEntry[], name: string) => entries.find((e) => e.name === name)!;
const stdio = (entries: ImportedEntry[], name: string) => entry(entries, name) as ImportedStdioEntry;
const row = (rows: PreviewRow[], name: string) => rows.find((r) => r.name === name)!;

describe('client config import', () => {
  it.each(Object.keys(files) as ClientKind[])('parses the %s fixture without file problems', (client) => {
    const result = load(client, { workspaceFolder: '/w', readFile: () => '' });
    expect(result.problems).toEqual([]);
    expect(result.entries.length).toBeGreaterThan(0);
    for (const e of result.entries) expect(e.kind).not.toBe('invalid');
  });

  it('lists remote entries (url, serverUrl, type http) as remote, with nothing to run', () => {
    const remote = [
      ...previewImport(load('cursor')).filter((r) => r.name === 'remote-docs'),
      ...previewImport(load('windsurf')).filter((r) => r.name === 'remote-search'),
      ...previewImport(load('vscode', { workspaceFolder: '/w', readFile: () => '' })).filter(
        (r) => r.name === 'github-remote',
      ),
    ];
    expect(remote.map((r) => [r.status, r.url, r.commandLine])).toEqual([
      ['remote', 'https://docs.example.com/mcp', ''],
      ['remote', 'https://search.example.com/sse', ''],
      ['remote', 'https://api.githubcopilot.com/mcp/', ''],
    ]);
    const docs = entry(load('cursor').entries, 'remote-docs');
    expect(docs.kind === 'remote' && docs.headerNames).toEqual(['Authorization']);
  });

  it('honours disabled: true and still shows what the entry would run', () => {
    const rows = previewImport(load('windsurf'));
    expect(row(rows, 'disabled-one')).toMatchObject({
      status: 'disabled',
      commandLine: 'npx -y @modelcontextprotocol/server-memory',
    });
    expect(row(rows, 'git').status).toBe('will-run');
  });

  it('flags inline secrets and masks them in the preview, keeping plain values visible', () => {
    const result = load('claude-desktop');
    const github = stdio(result.entries, 'github');
    expect(github.env).toEqual([
      {
        name: 'GITHUB_PERSONAL_ACCESS_TOKEN',
        value: 'ghp_exampleexampleexampleexample0000',
        secret: true,
        from: 'config',
      },
    ]);
    const rows = previewImport(result);
    expect(row(rows, 'github').env).toEqual([
      { name: 'GITHUB_PERSONAL_ACCESS_TOKEN', value: '•••', secret: true, from: 'config' },
    ]);
    expect(JSON.stringify(rows)).not.toContain('ghp_example');
    expect(row(rows, 'memory').env[0]).toMatchObject({ name: 'MEMORY_FILE_PATH', secret: false });
  });

  it('previews a Windows cmd /c npx entry in full, quoting the backslashed path, and warns off Windows', () => {
    const rows = previewImport(load('claude-desktop'));
    const sqlite = row(rows, 'sqlite on windows');
    expect(sqlite.commandLine).toBe(`cmd /c npx -y mcp-server-sqlite-npx 'C:\\Users\\alice\\data\\app.db'`);
    expect(sqlite.status).toBe('will-run');
    expect(sqlite.warnings[0]).toMatch(/Windows wrapper.*run "npx" directly/);
    const onWindows = previewImport(load('claude-desktop', { platform: 'win32' }));
    expect(row(onWindows, 'sqlite on windows').warnings).toEqual([]);
  });

  it('makes names with spaces URL-safe and keeps them unique', () => {
    expect(entry(load('claude-desktop').entries, 'sqlite on windows').safeName).toBe('sqlite-on-windows');
    const clash = parseClientConfig('{"mcpServers":{"a b":{"command":"x"},"a-b":{"command":"y"}}}', {
      client: 'cursor',
      env: {},
    });
    expect(clash.entries.map((e) => e.safeName)).toEqual(['a-b', 'a-b-2']);
  });

  it('reads JSONC: comments and trailing commas', () => {
    const result = load('vscode', { workspaceFolder: '/w', readFile: () => '' });
    expect(result.entries.map((e) => e.name)).toEqual(['everything', 'perplexity', 'workspace-files', 'github-remote']);
    expect(result.inputs).toEqual([
      { id: 'perplexity-key', type: 'promptString', description: 'Perplexity API Key', password: true },
    ]);
  });

  it('resolves ${env:VAR} from the given env and reports it when unset, never as an empty string', () => {
    const set = stdio(load('cursor', { env: { PGPASSWORD: 'hunter2hunter2' } }).entries, 'postgres');
    expect(set.env).toEqual([{ name: 'PGPASSWORD', value: 'hunter2hunter2', secret: true, from: 'config' }]);
    expect(set.problems).toEqual([]);

    const unset = load('cursor');
    const pg = stdio(unset.entries, 'postgres');
    expect(pg.env[0]!.value).toBe('${env:PGPASSWORD}');
    expect(pg.problems).toEqual([
      {
        kind: 'unresolved_placeholder',
        message: expect.stringMatching(/env PGPASSWORD: \$\{env:PGPASSWORD\} is not set/),
      },
    ]);
    expect(row(previewImport(unset), 'postgres').status).toBe('problem');
  });

  it('resolves plain ${VAR} too', () => {
    const r = parseClientConfig('{"mcpServers":{"s":{"command":"${HOME}/bin/s","args":["--dir=${HOME}"]}}}', {
      client: 'claude-desktop',
      env: { HOME: '/home/alice' },
    });
    expect(stdio(r.entries, 's')).toMatchObject({ command: '/home/alice/bin/s', args: ['--dir=/home/alice'] });
  });

  it('asks for ${input:id} answers and treats password inputs as secret', () => {
    const options = { workspaceFolder: '/w', readFile: () => '' };
    const pending = load('vscode', options);
    expect(row(previewImport(pending), 'perplexity')).toMatchObject({
      status: 'needs-input',
      needsInput: [{ id: 'perplexity-key', description: 'Perplexity API Key', password: true }],
    });

    const answered = load('vscode', { ...options, answers: { 'perplexity-key': 'pplx-abc123' } });
    const perplexity = stdio(answered.entries, 'perplexity');
    expect(perplexity.env).toContainEqual({
      name: 'PERPLEXITY_API_KEY',
      value: 'pplx-abc123',
      secret: true,
      from: 'config',
    });
    const shown = row(previewImport(answered), 'perplexity');
    expect(shown.status).toBe('will-run');
    expect(JSON.stringify(shown)).not.toContain('pplx-abc123');
  });

  it('masks a password input used in an argument, and reports inputs the file does not declare', () => {
    const r = parseClientConfig(
      `{"inputs":[{"id":"k","type":"promptString","password":true}],
        "servers":{"s":{"command":"srv","args":["--key=\${input:k}","\${input:nope}"]}}}`,
      { client: 'vscode', env: {}, answers: { k: 'hunter2' } },
    );
    const s = stdio(r.entries, 's');
    expect(s.args[0]).toBe('--key=hunter2');
    expect(previewImport(r)[0]!.commandLine).toBe(`srv --key=••• '\${input:nope}'`);
    expect(s.problems.map((p) => p.kind)).toEqual(['unknown_input']);
  });

  it('resolves ${workspaceFolder} in args and cwd, and reports it when no folder is given', () => {
    const rows = previewImport(load('vscode', { workspaceFolder: '/home/alice/proj', readFile: () => '' }));
    expect(row(rows, 'workspace-files')).toMatchObject({
      status: 'will-run',
      commandLine: 'node /home/alice/proj/tools/mcp-server.js',
      cwd: '/home/alice/proj',
    });
    const without = row(previewImport(load('vscode', { readFile: () => '' })), 'workspace-files');
    expect(without.status).toBe('problem');
    expect(without.cwd).toBe('${workspaceFolder}');
    expect(without.problems[0]).toMatch(/needs a workspace folder/);
  });

  describe('envFile', () => {
    let dir: string | undefined;
    afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('reads the file, marks its values as from the file, and lets written env win', () => {
      dir = mkdtempSync(join(tmpdir(), 'sb-envfile-'));
      writeFileSync(
        join(dir, '.env'),
        '# comment\nexport REGION=eu\nPERPLEXITY_API_KEY=from-file\nOPENAI_API_KEY="sk-proj-abcdefghijklmnop1234"\n',
      );
      const result = load('vscode', { workspaceFolder: dir, answers: { 'perplexity-key': 'typed' } });
      const env = stdio(result.entries, 'perplexity').env;
      expect(env).toEqual([
        { name: 'REGION', value: 'eu', secret: false, from: 'envFile' },
        { name: 'PERPLEXITY_API_KEY', value: 'typed', secret: true, from: 'config' },
        { name: 'OPENAI_API_KEY', value: 'sk-proj-abcdefghijklmnop1234', secret: true, from: 'envFile' },
      ]);
      expect(row(previewImport(result), 'perplexity').env.map((v) => v.value)).toEqual(['eu', '•••', '•••']);
    });

    it('reports a missing env file as a problem on that entry only', () => {
      dir = mkdtempSync(join(tmpdir(), 'sb-envfile-'));
      const rows = previewImport(load('vscode', { workspaceFolder: dir, answers: { 'perplexity-key': 'x' } }));
      expect(row(rows, 'perplexity').status).toBe('problem');
      expect(row(rows, 'perplexity').problems[0]).toBe(
        `envFile ${join(dir, '.env')} does not exist; create it or remove "envFile"`,
      );
      expect(row(rows, 'everything').status).toBe('will-run');
    });
  });

  it('reports a bad entry instead of throwing, and still imports the rest', () => {
    const r = parseClientConfig(
      '{"mcpServers":{"ok":{"command":"a"},"num":{"command":"b","args":["x",3]},"empty":{},"str":"nope","t":{"type":"ws","url":"x"}}}',
      { client: 'cursor', env: {} },
    );
    expect(r.entries.map((e) => [e.name, e.kind])).toEqual([
      ['ok', 'stdio'],
      ['num', 'invalid'],
      ['empty', 'invalid'],
      ['str', 'invalid'],
      ['t', 'invalid'],
    ]);
    const messages = previewImport(r).flatMap((row) => row.problems);
    expect(messages).toEqual([
      'server "num": args[1]: must be text (put it in quotes)',
      'server "empty": has neither a "command" (stdio) nor a "url" (remote)',
      'server "str": must be an object with a "command" (stdio) or a "url" (remote)',
      'server "t": type "ws" is not one Switchboard knows (stdio, http, sse)',
    ]);
  });

  it('reports a file that is not JSON with the line and column', () => {
    const r = parseClientConfig('{\n  "mcpServers": {\n    "a": {"command": "x"}\n    "b": {}\n  }\n}', {
      client: 'cursor',
      path: 'mcp.json',
      env: {},
    });
    expect(r.entries).toEqual([]);
    expect(r.problems[0]).toMatch(/^mcp\.json line 4, column 5: a comma is missing/);
  });

  it('reports a missing file rather than throwing', () => {
    const r = readClientConfig('/nonexistent/mcp.json', { client: 'cursor', env: {} });
    expect(r.problems).toEqual(['/nonexistent/mcp.json does not exist']);
  });
});
