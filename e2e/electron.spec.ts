// Launches the built desktop app (out/) through Playwright's Electron driver: its window opens, and its tray menu
// offers the dashboard, the servers and quit. Run with: npx electron-vite build && node --import tsx --test e2e/electron.spec.ts
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { findElectron } from '../scripts/electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electron = findElectron();
// node:test prints the skip reason on the test's own line, so a machine without Electron gets one line saying why.
const skip = electron.ok ? false : electron.message;

/** What the app exposes to this spec when started with SWITCHBOARD_E2E=1 (see src/main/index.ts). */
interface E2eHooks {
  trayMenuLabels(): Promise<string[] | null>;
  clickTrayItem(label: string): boolean;
  windowVisible(): boolean;
}

async function withApp(run: (app: ElectronApplication) => Promise<void>): Promise<void> {
  if (!electron.ok) return;
  // A fresh profile keeps the test away from the user's servers, settings and single-instance lock.
  const userData = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  const args = [root, `--user-data-dir=${userData}`];
  // Chromium refuses to start as root (CI containers) unless its OS-level sandbox is off.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const env = { ...process.env, SWITCHBOARD_E2E: '1' } as Record<string, string>;
  const app = await _electron.launch({ executablePath: electron.value, args, cwd: root, env });
  try {
    await run(app);
  } finally {
    await app.close();
    await rm(userData, { recursive: true, force: true });
  }
}

test('the desktop window opens titled "MCP Switchboard"', { skip }, () =>
  withApp(async (app) => {
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    assert.equal(await window.title(), 'MCP Switchboard');
  }),
);

/** Calls one of the app's e2e hooks inside the main process. */
function hook<K extends keyof E2eHooks>(app: ElectronApplication, name: K, ...args: Parameters<E2eHooks[K]>) {
  return app.evaluate(
    (_electron, [n, a]) => {
      const hooks = (globalThis as unknown as { __switchboardE2e: Record<string, (...x: unknown[]) => unknown> })
        .__switchboardE2e;
      return hooks[n as string]!(...(a as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<E2eHooks[K]>>>;
}

test('the tray menu opens the dashboard, lists servers and quits', { skip }, () =>
  withApp(async (app) => {
    await app.firstWindow();
    const labels = await hook(app, 'trayMenuLabels');
    if (labels === null) return void console.log('# this desktop has no tray; its menu was not checked');
    for (const label of ['Open dashboard', 'Copy endpoint URL', 'Copy token', 'Quit MCP Switchboard']) {
      assert.ok(labels.includes(label), `the tray menu has "${label}": ${labels.join(', ')}`);
    }
    // Closing the window hides it to the tray; the tray's first item brings it back.
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    assert.equal(await hook(app, 'windowVisible'), false);
    assert.equal(await hook(app, 'clickTrayItem', 'Open dashboard'), true);
    assert.equal(await hook(app, 'windowVisible'), true);
  }),
);
