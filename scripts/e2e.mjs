// The browser half of `npm test`: the dashboard walkthrough in Chromium against the real headless host, then the
// desktop app's AppApi over IPC in Electron wherever a window can be opened (a display, or xvfb-run).
// A missing Chromium fails with one line, unless SWITCHBOARD_SKIP_BROWSER=1 asks to skip the browser suite; a machine
// that cannot run Electron skips that part with one line saying why.
// `node scripts/e2e.mjs --find-chromium` prints the Chromium it would use (.ci/run asks it, so both look alike).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.mjs';
import { ensureNodeAbi, rebuildForElectron } from './native-abi.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` on PATH, or null. */
function onPath(names, env = process.env) {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Where Chromium is looked for: CHROMIUM_PATH when set (and then only there: a wrong path is an error, not a
 * reason to pick another browser), else /usr/bin/chromium, else `chromium` or `chromium-browser` on PATH.
 */
function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    return isExecutable(env.CHROMIUM_PATH)
      ? { ok: true, path: env.CHROMIUM_PATH }
      : { ok: false, message: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file` };
  }
  const path = isExecutable('/usr/bin/chromium') ? '/usr/bin/chromium' : onPath(['chromium', 'chromium-browser'], env);
  return path
    ? { ok: true, path }
    : { ok: false, message: 'no Chromium at /usr/bin/chromium or on PATH (chromium, chromium-browser)' };
}

/** Whether the Electron spec can run here, and the command prefix it needs (xvfb-run when there is no display). */
function electronPlan() {
  const found = findElectron();
  if (found.ok) return { ok: true, prefix: [] };
  if (found.kind !== 'no_display') return found;
  const xvfb = onPath(['xvfb-run']);
  if (!xvfb) return { ok: false, message: `${found.message}, and xvfb-run is not installed` };
  return { ok: true, prefix: [xvfb, '--auto-servernum'] };
}

/** Runs Playwright Test on `projects`; extra arguments (a spec file, -g) may leave a project nothing to run. */
function playwright(projects, env, prefix = []) {
  const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
  const only = args.length > 0 ? ['--pass-with-no-tests'] : [];
  const command = [
    ...prefix,
    process.execPath,
    cli,
    'test',
    ...projects.map((p) => `--project=${p}`),
    ...only,
    ...args,
  ];
  const result = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

if (args[0] === '--find-chromium') {
  const chromium = findChromium();
  if (chromium.ok) console.log(chromium.path);
  else console.error(chromium.message);
  process.exit(chromium.ok ? 0 : 1);
}

if (process.env.SWITCHBOARD_SKIP_BROWSER === '1') {
  console.log('Browser suite skipped on request (SWITCHBOARD_SKIP_BROWSER=1).');
  process.exit(0);
}

const chromium = findChromium();
if (!chromium.ok) {
  console.error(
    `Browser suite cannot run: ${chromium.message}. Install it (apt-get install chromium), set CHROMIUM_PATH, or set SWITCHBOARD_SKIP_BROWSER=1 to skip it.`,
  );
  process.exit(1);
}
const env = { ...process.env, CHROMIUM_PATH: chromium.path };

const dashboard = playwright(['dashboard'], env);

// The desktop app needs its native modules built for Electron's ABI; the Node ABI comes back afterwards, whatever
// happened, so the next `vitest` and `switchboard serve` still load them.
let desktop = 0;
const plan = electronPlan();
if (!plan.ok) {
  console.log(`Electron suite skipped: ${plan.message}.`);
} else if (!rebuildForElectron()) {
  console.log('Electron suite skipped: the native modules could not be rebuilt for Electron (offline?).');
  ensureNodeAbi();
} else {
  // The dashboard run just built out/; the Electron app runs that same build.
  desktop = playwright(['electron'], { ...env, SKIP_BUILD: '1' }, plan.prefix);
  if (!ensureNodeAbi()) desktop = desktop || 1;
}
process.exit(dashboard || desktop);
