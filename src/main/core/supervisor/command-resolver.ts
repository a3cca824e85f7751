import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { missingCommandAdvice } from './spawn-doctor.js';

/** Why a command cannot be started, in words a user can act on. */
export class SpawnError extends Error {
  constructor(
    readonly kind: 'command_not_found' | 'not_executable' | 'spawn_failed',
    message: string,
  ) {
    super(message);
    this.name = 'SpawnError';
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds `command` the way the OS will when we spawn it without a shell, so a missing command is reported
 * before spawning, naming the PATH that was searched.
 */
export function resolveCommand(command: string, env: Record<string, string>, cwd?: string): string {
  const searched = env.PATH ?? env.Path ?? '';
  if (command.includes('/') || (process.platform === 'win32' && command.includes('\\'))) {
    const full = isAbsolute(command) ? command : resolve(cwd ?? process.cwd(), command);
    try {
      statSync(full);
    } catch {
      throw new SpawnError('command_not_found', `\`${command}\` does not exist (looked for ${full})`);
    }
    if (!isExecutableFile(full)) throw new SpawnError('not_executable', `\`${full}\` is not an executable file`);
    return full;
  }
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const dir of searched.split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, command + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  const advice = missingCommandAdvice(command, searched, env.HOME ?? homedir());
  throw new SpawnError('command_not_found', `\`${command}\` not found on PATH=${searched || '(empty)'}. ${advice}`);
}
