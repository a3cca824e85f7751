// Electron entry: owns the window and the app lifecycle, and hands everything else to the engine.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import { startEngine } from './core/engine.js';

type Engine = Awaited<ReturnType<typeof startEngine>>;

// A second copy would fight the first for the gateway port and the data directory.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run();
}

function run(): void {
  let mainWindow: BrowserWindow | undefined;
  let engine: Engine | undefined;
  let stopping = false;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Applies to every web contents, including any created later, so no page can leave the app or spawn windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  // before-quit cannot be awaited, so the first quit is cancelled until the engine has stopped its children.
  app.on('before-quit', (event) => {
    if (!engine || stopping) return;
    event.preventDefault();
    stopping = true;
    const running = engine;
    engine = undefined;
    running
      .stop()
      .catch((error: unknown) => console.error('Engine did not stop cleanly:', error))
      .finally(() => app.quit());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });

  app
    .whenReady()
    .then(async () => {
      // The dashboard needs no camera, notifications or other permissions; refuse them all.
      session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      session.defaultSession.setPermissionCheckHandler(() => false);

      engine = await startEngine({ dataDir: app.getPath('userData') });
      console.log(`MCP Switchboard gateway listening on ${engine.url}`);
      mainWindow = createWindow();
    })
    .catch((error: unknown) => {
      // Most likely the port is taken or the config is invalid; the user needs to see that, not a silent exit.
      dialog.showErrorBox('MCP Switchboard could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: 'MCP Switchboard',
    width: 1100,
    height: 720,
    show: false,
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  // The dev server URL is only honoured in development, so a stray variable cannot point a packaged app elsewhere.
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devUrl) {
    void window.loadURL(devUrl);
  } else {
    void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  }
  return window;
}
