// The built desktop app through Playwright's Electron driver: the page's AppApi reaches the engine over IPC and
// back (list, add, call, refuse, remove), engine events arrive in the page, and the tray menu works.
// Run by `npm test` (scripts/e2e.mjs: it rebuilds the native modules for Electron and uses xvfb-run without a
// display), or alone: npx playwright test --project=electron. Where no Electron binary or no display exists, the
// one test skips with its reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { findElectron } from '../scripts/electron-binary.mjs';
import type { AppBridge, AppEvents } from '../src/shared/app-api.js';
import { expect, test } from '@playwright/test';
import { repoRoot } from './helpers/paths.js';

const electron = findElectron();
const fixtureServer = join(repoRoot, 'test', 'fixtures', 'fixture-server.mjs');

/** What the app exposes to this spec when started with SWITCHBOARD_E2E=1 (see src/main/index.ts). */
interface E2eHooks {
  trayMenuLabels(): Promise<string[] | null>;
  clickTrayItem(label: string): boolean;
  windowVisible(): boolean;
}

/** What the page holds for this spec: the preload's bridge, and the events it has heard so far. */
type PageGlobals = { switchboard: AppBridge; heard: Array<{ event: keyof AppEvents; payload: unknown }> };

async function withApp(run: (app: ElectronApplication, page: Page) => Promise<void>): Promise<void> {
  if (!electron.ok) return;
  // A fresh profile keeps the test away from the user's servers, settings and single-instance lock.
  const userData = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  const args = [repoRoot, `--user-data-dir=${userData}`];
  // Chromium refuses to start as root (CI containers) unless its OS-level sandbox is off.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  // Port 0: the gateway takes a free port, so the test never meets a Switchboard the user is running.
  const env = { ...process.env, SWITCHBOARD_E2E: '1', TRANSPORT_SSE_PORT: '0' } as Record<string, string>;
  const app = await _electron.launch({ executablePath: electron.value, args, cwd: repoRoot, env });
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await run(app, page);
  } finally {
    await app.close();
    await rm(userData, { recursive: true, force: true });
  }
}

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

/** The events of one kind the page has heard. */
function heard<E extends keyof AppEvents>(page: Page, event: E): Promise<AppEvents[E][]> {
  return page.evaluate(
    (e) => (globalThis as unknown as PageGlobals).heard.filter((h) => h.event === e).map((h) => h.payload),
    event,
  ) as Promise<AppEvents[E][]>;
}

// One test, so a machine that cannot run it prints exactly one line saying why.
test('the desktop app: AppApi round trips over IPC, engine events in the page, the tray menu', async () => {
  test.skip(!electron.ok, electron.ok ? '' : electron.message);
  await withApp(async (app, page) => {
    await test.step('the preload exposes the bridge and nothing else of Electron', async () => {
      const exposed = await page.evaluate(() => {
        const g = globalThis as unknown as Record<string, unknown>;
        return { bridge: typeof g.switchboard, ipcRenderer: typeof g.ipcRenderer, require: typeof g.require };
      });
      expect(exposed).toEqual({ bridge: 'object', ipcRenderer: 'undefined', require: 'undefined' });
    });

    await test.step('listServers answers over IPC (a fresh profile has none)', async () => {
      await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        g.heard = [];
        for (const event of ['serverState', 'serversChanged'] as const)
          g.switchboard.on(event, (payload) => g.heard.push({ event, payload }));
      });
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).switchboard.listServers())).toEqual([]);
    });

    await test.step('addServer starts a real server; its events arrive in the page', async () => {
      const view = await page.evaluate(
        ([command, args]) =>
          (globalThis as unknown as PageGlobals).switchboard.addServer({ name: 'fx', command, args: [...args] }),
        [process.execPath, [fixtureServer, '--name', 'fx']] as const,
      );
      expect(view.definition).toMatchObject({ name: 'fx', command: process.execPath });
      await expect
        .poll(async () => (await heard(page, 'serversChanged')).some((e) => e.names.includes('fx')))
        .toBe(true);
      await expect
        .poll(async () => (await heard(page, 'serverState')).some((e) => e.server === 'fx' && e.state === 'running'))
        .toBe(true);
      const names = await page.evaluate(async () =>
        (await (globalThis as unknown as PageGlobals).switchboard.listServers()).map((s) => s.definition.name),
      );
      expect(names).toEqual(['fx']);
    });

    await test.step('callTool reaches the child and its answer comes back', async () => {
      const result = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).switchboard.callTool('fx', 'echo', { message: 'over ipc' }),
      );
      expect(result.content).toEqual([{ type: 'text', text: 'fx: over ipc' }]);
    });

    await test.step('a refused call keeps its error kind across IPC', async () => {
      const message = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).switchboard.addServer({ name: 'has space', command: 'x' }).then(
          () => 'added',
          (e: Error) => e.message,
        ),
      );
      expect(message).toMatch(/^\[switchboard:invalid\] /);
    });

    await test.step('removeServer stops it and the list is empty again', async () => {
      await page.evaluate(() => (globalThis as unknown as PageGlobals).switchboard.removeServer('fx'));
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).switchboard.listServers())).toEqual([]);
    });

    await test.step('the tray menu opens the dashboard, lists servers and quits', async () => {
      const labels = await hook(app, 'trayMenuLabels');
      if (labels === null) return void test.info().annotations.push({ type: 'note', description: 'no tray here' });
      for (const label of ['Open dashboard', 'Copy endpoint URL', 'Copy token', 'Quit MCP Switchboard']) {
        expect(labels, `the tray menu has "${label}"`).toContain(label);
      }
      // Closing the window hides it to the tray; the tray's first item brings it back.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
      expect(await hook(app, 'windowVisible')).toBe(false);
      expect(await hook(app, 'clickTrayItem', 'Open dashboard')).toBe(true);
      expect(await hook(app, 'windowVisible')).toBe(true);
    });
  });
});
