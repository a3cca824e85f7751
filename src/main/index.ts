// Electron entry: builds the engine, wraps it in an AppHost, and hands that to the shell (window, tray, IPC).
// First, before any other module: V8 tuning that makes the gateway's first calls fast (see jit-warmup.ts).
import './core/util/jit-warmup.js';
import { join } from 'node:path';
import { app, dialog, ipcMain, safeStorage, session } from 'electron';
import type { AppHost } from './core/app/app-host.js';
import { startAppHost, type RunningHost } from './core/app/host-builder.js';
import { resolveLoginShellPath } from './core/supervisor/spawn-doctor.js';
import { createLogger, stderrSink } from './core/util/logger.js';
import { announceEndpoint } from './headless/commands/endpoint-file.js';
import { applyStartAtLogin, startedHidden } from './shell/autostart.js';
import { forwardAppEvents, registerAppIpc, trustedSender } from './shell/ipc.js';
import { adoptLoginShellPath } from './shell/login-path.js';
import { createSecretCipher } from './shell/secrets.js';
import { hardenSession, hardenWebContents } from './shell/security.js';
import { AppTray } from './shell/tray.js';
import { MainWindow, rendererLocation } from './shell/window.js';

const outDir = join(import.meta.dirname, '..');
const resourcesDir = join(import.meta.dirname, '../../resources');
const logger = createLogger('info', stderrSink, 'shell');

// A second copy would fight the first for the gateway port and the data directory; it wakes the first instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run();
}

function run(): void {
  // A desktop launch has no shell profile behind it: take PATH from the login shell once, before any child starts.
  adoptLoginShellPath(process.env, resolveLoginShellPath);

  const location = rendererLocation(app, outDir);
  let tray: AppTray | null = null;
  let running: RunningHost | undefined;
  const stops: Array<() => void> = [];
  let stopping = false;

  const window = new MainWindow({
    location,
    preload: join(outDir, 'preload/index.cjs'),
    icon: join(resourcesDir, 'icon.png'),
    hideOnClose: () => tray !== null,
  });

  hardenWebContents(app, location.isOwnUrl);
  // Last resort if the process ends without before-quit (a crash in main): no child outlives the app.
  process.on('exit', () => running?.engine.killNow());
  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());
  // With a tray the app lives on when its window is hidden; without one, closing the window quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });

  // before-quit cannot be awaited, so the first quit is cancelled until the engine has stopped its children.
  app.on('before-quit', (event) => {
    window.prepareToQuit();
    if (!running || stopping) return;
    event.preventDefault();
    stopping = true;
    for (const stop of stops.splice(0)) stop();
    tray?.dispose();
    tray = null;
    const host = running;
    running = undefined;
    host
      .stop()
      .catch((error: unknown) => logger.error(`the engine did not stop cleanly: ${error}`))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession);
      running = await startAppHost({
        host: 'electron',
        dataDir: app.getPath('userData'),
        env: process.env,
        flags: {},
        // The desktop user owns the machine the terminal opens on.
        enableTerminal: true,
        // The demo server runs on Electron's own binary acting as Node: a packaged app has no separate node.
        demo: {
          command: process.execPath,
          args: [join(resourcesDir, 'demo-server.mjs')],
          env: { ELECTRON_RUN_AS_NODE: '1' },
        },
        logSink: stderrSink,
        // The token and secret env values are stored encrypted by the OS keychain (warns when Linux has none).
        codec: createSecretCipher(safeStorage, logger),
      });
      logger.info(`gateway listening on ${running.engine.url}`);
      // `switchboard connect` (for clients that only launch stdio servers) finds the app through its data dir.
      const { dataDir, token, api } = running;
      const endpoint = announceEndpoint({ dataDir, url: running.engine.url, token, api });
      stops.push(endpoint.withdraw);
      const appHost: AppHost = { ...running, api: endpoint.api };

      stops.push(
        registerAppIpc(ipcMain, {
          host: appHost,
          isTrustedSender: trustedSender((contents) => window.owns(contents), location.isOwnUrl),
          logger,
          onSettled: (method) => {
            if (method === 'updateSettings') void syncStartAtLogin(appHost);
          },
        }),
        forwardAppEvents(appHost, () => window.windows, logger),
      );
      try {
        tray = new AppTray({
          host: appHost,
          iconDir: resourcesDir,
          openDashboard: () => window.show(),
          quit: () => app.quit(),
          logger,
        });
      } catch (error) {
        // Some Linux desktops have no tray; the window then behaves like any other (close quits).
        logger.warn(`no tray icon: ${(error as Error).message}`);
      }
      void syncStartAtLogin(appHost);
      exposeForE2e(() => tray, window);

      if (startedHidden(app) && tray) window.ensureCreated();
      else window.show();
    })
    .catch((error: unknown) => {
      // Most likely the port is taken or the config is invalid; the user needs to see that, not a silent exit.
      dialog.showErrorBox('MCP Switchboard could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

async function syncStartAtLogin(host: AppHost): Promise<void> {
  try {
    const { settings } = await host.api.getSettings();
    applyStartAtLogin(app, settings.startAtLogin, logger);
  } catch (error) {
    logger.warn(`start at login not applied: ${(error as Error).message}`);
  }
}

/** The Playwright Electron spec cannot click an OS tray; with SWITCHBOARD_E2E=1 it reaches the menu through this. */
function exposeForE2e(tray: () => AppTray | null, window: MainWindow): void {
  if (process.env.SWITCHBOARD_E2E !== '1') return;
  Object.assign(globalThis, {
    __switchboardE2e: {
      async trayMenuLabels(): Promise<string[] | null> {
        const current = tray();
        if (!current) return null;
        await current.refresh();
        current.popUp();
        return current.menu?.items.map((item) => item.label) ?? [];
      },
      clickTrayItem(label: string): boolean {
        const item = tray()?.menu?.items.find((i) => i.label === label);
        item?.click();
        return item !== undefined;
      },
      windowVisible: () => window.windows.some((w) => w.isVisible()),
    },
  });
}
