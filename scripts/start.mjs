// `npm start`: the desktop app when Electron can run here, otherwise the headless host with the demo config.
// Either way the user ends up with a working dashboard, and one line says which and why.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.mjs';
import { ensureNodeAbi, rebuildForElectron } from './native-abi.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extraArgs = process.argv.slice(2);
const require = createRequire(import.meta.url);

let electron = findElectron();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (noDisplay) {
  electron = { ok: false, message: 'No display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
} else if (!electron.ok && electron.kind === 'binary_missing') {
  // The electron package fetches its binary on first use; offline or sandboxed, that fails fast.
  const installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
  const fetched = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 180_000 });
  electron = fetched.status === 0 ? findElectron() : electron;
}
if (electron.ok && !rebuildForElectron()) {
  electron = { ok: false, message: 'Native modules could not be built for Electron' };
}

if (electron.ok) {
  // `electron-vite preview` builds main, preload and renderer into out/, then launches Electron on them.
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  run([cli, 'preview', ...(extraArgs.length > 0 ? ['--', ...extraArgs] : [])]);
} else {
  console.log(`${electron.message}; starting the headless host instead.`);
  if (!ensureNodeAbi()) process.exit(1);
  // The dashboard is the built renderer; build it when it is missing or older than this checkout's sources.
  const vite = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  const built = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) console.log('The dashboard could not be built; the gateway runs without it.');
  run([join(root, 'bin/switchboard'), 'serve', '--config', join(root, 'examples/demo.json'), ...extraArgs]);
}

/** Runs `node ...args` in the foreground and mirrors its fate: signals go down, the exit code comes back up. */
function run(args) {
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  // A terminal's Ctrl-C reaches the child directly as well; forwarding covers `kill <pid>` and process managers.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (error) => {
    console.error(`Could not start ${args[0]}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
  });
}
