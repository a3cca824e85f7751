// Shared by `npm start` and the Electron e2e spec: can an Electron window be opened on this machine?
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/**
 * Locates the Electron executable the way the `electron` package does, but without `require('electron')`: that
 * call starts a download when the binary is missing, which hangs or fails on a machine without network access.
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 * @returns {import('./electron-binary.d.mts').ElectronLookup}
 */
export function findElectron(env = process.env, platform = process.platform) {
  let packageDir;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, kind: 'package_missing', message: 'Electron is not installed (run npm install)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const overrideDir = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!name && !overrideDir) {
    const shown = relative(process.cwd(), pathFile);
    return {
      ok: false,
      kind: 'binary_missing',
      message: `Electron binary not available (${shown} is missing: its download never ran or failed)`,
    };
  }
  const executable = overrideDir ? join(overrideDir, name || 'electron') : join(packageDir, 'dist', name);
  if (!existsSync(executable)) {
    return {
      ok: false,
      kind: 'binary_missing',
      message: `Electron binary not available (${executable} does not exist)`,
    };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      ok: false,
      kind: 'no_display',
      message: 'Electron cannot open a window (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    };
  }
  return { ok: true, value: executable };
}
