import { describe, expect, it } from 'vitest';
import { packageRunnerOf } from './package-runner.js';

describe('packageRunnerOf', () => {
  it.each([
    ['npx', ['-y', '@modelcontextprotocol/server-memory'], 'npx'],
    ['/usr/local/bin/npx', ['pkg'], 'npx'],
    ['C:\\Program Files\\nodejs\\npx.cmd', ['-y', 'pkg'], 'npx'],
    ['uvx', ['mcp-server-fetch'], 'uvx'],
    ['bunx', ['pkg'], 'bunx'],
    ['pnpm', ['dlx', 'pkg'], 'pnpm dlx'],
    ['pnpm', ['--silent', 'dlx', 'pkg'], 'pnpm dlx'],
    ['yarn', ['dlx', 'pkg'], 'yarn dlx'],
    ['npm', ['exec', '--yes', 'pkg'], 'npm exec'],
    ['uv', ['tool', 'run', 'pkg'], 'uv tool run'],
    ['uv', ['run', '--with', 'mcp', 'server.py'], 'uv run'],
    ['pipx', ['run', 'pkg'], 'pipx'],
    ['cmd', ['/c', 'npx', '-y', 'mcp-server-sqlite-npx'], 'npx'],
  ])('%s %j is a package runner (%s)', (command, args, runner) => {
    expect(packageRunnerOf(command, args)).toBe(runner);
  });

  it.each([
    ['node', ['server.js']],
    ['pnpm', ['start']],
    ['npm', ['run', 'serve']],
    ['/opt/npx-tools/server', []],
    ['python', ['-m', 'uvx']],
    ['cmd', ['/c', 'node', 'server.js']],
  ])('%s %j is not', (command, args) => {
    expect(packageRunnerOf(command, args)).toBeNull();
  });
});
