import { describe, expect, it } from 'vitest';
import { absoluteEndpoint, buildSnippets, maskToken } from './snippets.js';

const endpoint = { name: 'everything', streamableHttp: '/servers/everything/mcp', sse: '/servers/everything/sse' };

describe('buildSnippets', () => {
  const abs = absoluteEndpoint({ baseUrl: 'http://127.0.0.1:3000/' }, endpoint);

  it('makes URLs absolute', () => {
    expect(abs.streamableHttp).toBe('http://127.0.0.1:3000/servers/everything/mcp');
    expect(absoluteEndpoint({ baseUrl: 'http://x' }, abs).sse).toBe('http://127.0.0.1:3000/servers/everything/sse');
  });

  it('gives each client valid JSON with the token header', () => {
    const snippets = buildSnippets(abs, 'tok123');
    const cursor = JSON.parse(snippets.find((s) => s.id === 'cursor')!.text);
    expect(cursor.mcpServers.everything).toEqual({
      url: abs.streamableHttp,
      headers: { Authorization: 'Bearer tok123' },
    });
    const vscode = JSON.parse(snippets.find((s) => s.id === 'vscode')!.text);
    expect(vscode.servers.everything.type).toBe('http');
    // Without the CLI's path: `switchboard connect` from PATH, told the URL, the token through the environment.
    const claude = JSON.parse(snippets.find((s) => s.id === 'claude-desktop')!.text);
    expect(claude.mcpServers.everything).toEqual({
      command: 'switchboard',
      args: ['connect', '--url', abs.streamableHttp],
      env: { API_ACCESS_TOKEN: 'tok123' },
    });
    expect(snippets.find((s) => s.id === 'http')!.text).toContain("-H 'Authorization: Bearer tok123'");
  });

  it('runs Switchboard’s own bridge by its absolute path for Claude Desktop, with no secret in the entry', () => {
    const connect = { command: '/usr/bin/node', args: ['/opt/sb/bin/switchboard', 'connect', '--data-dir', '/d'] };
    const one = JSON.parse(buildSnippets(abs, 'tok123', connect).find((s) => s.id === 'claude-desktop')!.text);
    expect(one.mcpServers.everything).toEqual({
      command: '/usr/bin/node',
      args: ['/opt/sb/bin/switchboard', 'connect', '--data-dir', '/d', '--server', 'everything'],
    });
    const all = buildSnippets({ ...abs, name: null }, 'tok123', connect).find((s) => s.id === 'claude-desktop')!;
    expect(JSON.parse(all.text).mcpServers.switchboard.args).toEqual(connect.args);
    expect(all.text).not.toContain('tok123');
    expect(all.text).not.toContain('mcp-remote');
  });

  it('leaves the header out when auth is off and names the gateway "switchboard"', () => {
    const snippets = buildSnippets({ ...abs, name: null }, null);
    const cursor = JSON.parse(snippets[0]!.text);
    expect(cursor.mcpServers.switchboard).toEqual({ url: abs.streamableHttp });
    expect(snippets.map((s) => s.text).join('\n')).not.toContain('Bearer');
  });
});

it('masks all but the ends of a token', () => {
  expect(maskToken('abcdefghijklmnop')).toBe('abcd••••••••op');
  expect(maskToken('short')).toBe('••••••••');
});
