// The native modules (better-sqlite3, node-pty) are built for one ABI at a time: Node's for `npm test` and the
// headless host, Electron's for the desktop app. These helpers switch between the two when needed.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = ['better-sqlite3', 'node-pty'];

/** True when every native module loads in this Node. */
function loadsInNode() {
  const probe = modules.map((m) => `require(${JSON.stringify(m)})`).join(';');
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) return { ok: true };
  return {
    ok: false,
    abiMismatch: /NODE_MODULE_VERSION|was compiled against a different/.test(result.stderr),
    stderr: result.stderr,
  };
}

/** Rebuilds the native modules for Node when they were last built for Electron. */
export function ensureNodeAbi() {
  const check = loadsInNode();
  if (check.ok) return true;
  if (!check.abiMismatch) {
    console.error(`Native modules do not load:\n${check.stderr.split('\n').slice(0, 5).join('\n')}`);
    return false;
  }
  console.log('Native modules were built for Electron; rebuilding them for Node…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const rebuilt = spawnSync(npm, ['rebuild', ...modules], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return rebuilt.status === 0 && loadsInNode().ok;
}

/** Rebuilds the native modules against Electron's headers (needs network the first time). */
export function rebuildForElectron() {
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  const result = spawnSync(process.execPath, [cli, 'install-app-deps'], { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(ensureNodeAbi() ? 0 : 1);
}
