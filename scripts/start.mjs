// `npm start`: the desktop app when Electron can run here, otherwise the headless host with the demo config.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extraArgs = process.argv.slice(2);
const electron = findElectron();

if (electron.ok) {
  // `electron-vite preview` builds main, preload and renderer into out/, then launches Electron on them.
  const cli = join(
    dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')),
    'bin/electron-vite.js',
  );
  run([cli, 'preview', ...(extraArgs.length > 0 ? ['--', ...extraArgs] : [])]);
} else {
  console.log(`${electron.message}; starting the headless host instead.`);
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
