import { homedir } from 'node:os';
import type { CommandCheck } from '../../../shared/app-api.js';
import { buildChildEnv } from '../supervisor/child-env.js';
import { SpawnError, resolveCommand } from '../supervisor/command-resolver.js';
import { findCandidates, resolveLoginShellPath } from '../supervisor/spawn-doctor.js';

/**
 * Looks `command` up exactly as a start would (the child's allowlisted environment plus the server's env, no
 * shell) and, when it is missing, asks the spawn doctor where it is instead. Runs nothing.
 */
export function checkCommand(
  command: string,
  env: Record<string, string>,
  cwd: string | undefined,
  passEnvironment: boolean,
): CommandCheck {
  const trimmed = typeof command === 'string' ? command.trim() : '';
  if (!trimmed) return { found: false, message: 'Give a command to run.', candidates: [] };
  const childEnv = buildChildEnv({ declared: env, passEnvironment });
  try {
    return { found: true, path: resolveCommand(trimmed, childEnv, cwd || undefined) };
  } catch (err) {
    if (!(err instanceof SpawnError)) throw err;
    const searched = childEnv.PATH ?? childEnv.Path ?? '';
    const looksLikeName = !trimmed.includes('/') && !trimmed.includes('\\');
    const candidates = looksLikeName
      ? findCandidates(trimmed, searched, childEnv.HOME ?? homedir(), resolveLoginShellPath())
      : [];
    return { found: false, message: err.message, candidates };
  }
}
