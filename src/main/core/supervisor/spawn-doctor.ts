import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/**
 * Why `npx: not found` happens: a desktop app started from the dock gets a bare PATH, not the one the user's
 * shell builds (nvm, fnm, volta, asdf, Homebrew, ~/.local/bin). The doctor finds where the command really is,
 * so the error can say what to do.
 */

function executable(path: string): boolean {
  try {
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function subdirs(dir: string, then: string): string[] {
  try {
    return readdirSync(dir).map((v) => join(dir, v, then));
  } catch {
    return [];
  }
}

/** Folders where version managers and package managers put commands, newest-looking first. */
export function wellKnownBinDirs(home: string): string[] {
  return [
    ...subdirs(join(home, '.nvm', 'versions', 'node'), 'bin').reverse(),
    ...subdirs(join(home, '.local', 'share', 'fnm', 'node-versions'), join('installation', 'bin')).reverse(),
    ...subdirs(join(home, '.fnm', 'node-versions'), join('installation', 'bin')).reverse(),
    join(home, '.volta', 'bin'),
    join(home, '.asdf', 'shims'),
    '/opt/homebrew/bin',
    '/usr/local/bin',
    '/home/linuxbrew/.linuxbrew/bin',
    join(home, '.local', 'bin'),
    join(home, '.cargo', 'bin'),
  ];
}

let loginShellPath: string | null | undefined;

/**
 * The PATH the user's login shell builds, asked once (GUI launches on macOS and Linux). Only a query: servers
 * themselves are never started through a shell.
 */
export function resolveLoginShellPath(env: NodeJS.ProcessEnv = process.env): string | null {
  if (loginShellPath !== undefined) return loginShellPath;
  loginShellPath = null;
  if (process.platform === 'win32') return null;
  const shell = env.SHELL || '/bin/sh';
  const marker = '__SWITCHBOARD_PATH__';
  const result = spawnSync(shell, ['-ilc', `printf '${marker}%s${marker}' "$PATH"`], {
    encoding: 'utf8',
    timeout: 3000,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { HOME: env.HOME, USER: env.USER, SHELL: shell, TERM: 'dumb' },
  });
  const match = new RegExp(`${marker}(.*)${marker}`).exec(result.stdout ?? '');
  loginShellPath = match?.[1] || null;
  return loginShellPath;
}

/** Places where `command` exists outside the PATH that was searched. */
export function findCandidates(
  command: string,
  searchedPath: string,
  home: string,
  extraPath?: string | null,
): string[] {
  const searched = new Set(searchedPath.split(delimiter).filter(Boolean));
  const dirs = [...(extraPath ?? '').split(delimiter).filter(Boolean), ...wellKnownBinDirs(home)];
  const names = process.platform === 'win32' ? [`${command}.exe`, `${command}.cmd`, command] : [command];
  const found: string[] = [];
  for (const dir of new Set(dirs)) {
    if (searched.has(dir)) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (executable(candidate) && !found.includes(candidate)) found.push(candidate);
    }
  }
  return found.slice(0, 5);
}

export function missingCommandAdvice(command: string, searchedPath: string, home: string): string {
  const candidates = findCandidates(command, searchedPath, home, resolveLoginShellPath());
  if (candidates.length === 0) {
    return `Install it, or set PATH in the server's env, or use an absolute path.`;
  }
  return `Found it at ${candidates.join(', ')}: use that absolute path as the command, or add ${dirname(candidates[0]!)} to PATH in the server's env.`;
}

/**
 * npm's Windows shims (`npx.cmd`) only run through cmd.exe, whose quoting rules let arguments become commands.
 * Instead, read the shim and run the script it wraps with node directly.
 */
export function unwrapWindowsShim(file: string): { file: string; prefixArgs: string[] } | null {
  if (!/\.(cmd|bat)$/i.test(file)) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const script = /"%(?:~?dp0%?)\\([^"]+\.(?:c?js|mjs))"/i.exec(text)?.[1];
  if (!script) return null;
  const dir = dirname(file);
  const localNode = join(dir, 'node.exe');
  return { file: executable(localNode) ? localNode : 'node', prefixArgs: [join(dir, script)] };
}
