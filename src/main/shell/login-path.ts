import { delimiter } from 'node:path';

/**
 * A desktop launch (Dock, Start menu, .desktop file) does not run the user's shell profile, so PATH lacks
 * ~/.nvm, Homebrew and the like, and `npx` servers that work in a terminal fail with ENOENT. The login shell's PATH
 * goes first; the inherited entries follow, without duplicates. Returns the PATH to use.
 */
export function mergedPath(current: string | undefined, loginShellPath: string | null): string {
  const entries = [...(loginShellPath ?? '').split(delimiter), ...(current ?? '').split(delimiter)];
  return [...new Set(entries.filter(Boolean))].join(delimiter);
}

/** Calls `resolve` once (it spawns the login shell) and merges its PATH into `env`; Windows is left alone. */
export function adoptLoginShellPath(
  env: NodeJS.ProcessEnv,
  resolve: (env: NodeJS.ProcessEnv) => string | null,
  platform: NodeJS.Platform = process.platform,
): void {
  if (platform !== 'darwin' && platform !== 'linux') return;
  const login = resolve(env);
  if (login) env.PATH = mergedPath(env.PATH, login);
}
