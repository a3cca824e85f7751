import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpawnError, resolveCommand } from './command-resolver.js';
import { findCandidates, unwrapWindowsShim } from './spawn-doctor.js';

function fakeHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'switchboard-home-'));
  for (const dir of ['.nvm/versions/node/v20.11.0/bin', '.local/bin']) mkdirSync(join(home, dir), { recursive: true });
  for (const file of ['.nvm/versions/node/v20.11.0/bin/npx', '.local/bin/uvx']) {
    writeFileSync(join(home, file), '#!/bin/sh\n');
    chmodSync(join(home, file), 0o755);
  }
  return home;
}

describe('spawn doctor (C11)', () => {
  it('finds a command in nvm and ~/.local/bin when PATH lacks it', () => {
    const home = fakeHome();
    expect(findCandidates('npx', '/usr/bin:/bin', home)).toEqual([join(home, '.nvm/versions/node/v20.11.0/bin/npx')]);
    expect(findCandidates('uvx', '/usr/bin:/bin', home)).toEqual([join(home, '.local/bin/uvx')]);
    expect(findCandidates('uvx', `/usr/bin:${join(home, '.local/bin')}`, home)).toEqual([]);
  });

  it('names the command, the PATH searched and where it was found', () => {
    const home = fakeHome();
    let error: unknown;
    try {
      resolveCommand('npx', { PATH: '/nonexistent-dir', HOME: home });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpawnError);
    const message = (error as SpawnError).message;
    expect(message).toContain('`npx` not found on PATH=/nonexistent-dir');
    expect(message).toContain(join(home, '.nvm/versions/node/v20.11.0/bin/npx'));
  });

  it('runs the script an npm .cmd shim wraps, without cmd.exe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-shim-'));
    const shim = join(dir, 'npx.cmd');
    writeFileSync(
      shim,
      '@ECHO off\r\nGOTO start\r\n:find_dp0\r\nSET dp0=%~dp0\r\nEXIT /b\r\n:start\r\nSETLOCAL\r\nCALL :find_dp0\r\n' +
        'IF EXIST "%dp0%\\node.exe" (\r\n  SET "_prog=%dp0%\\node.exe"\r\n) ELSE (\r\n  SET "_prog=node"\r\n)\r\n' +
        'endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%"  "%dp0%\\node_modules\\npm\\bin\\npx-cli.js" %*\r\n',
    );
    const unwrapped = unwrapWindowsShim(shim);
    expect(unwrapped?.file).toBe('node');
    expect(unwrapped?.prefixArgs).toEqual([join(dir, 'node_modules\\npm\\bin\\npx-cli.js')]);
    expect(unwrapWindowsShim(join(dir, 'tool.exe'))).toBeNull();
  });
});
