import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, type App, type WebContents } from 'electron';

/** Where the dashboard is loaded from, and how to recognise it (IPC is only answered for these pages). */
export interface RendererLocation {
  load(window: BrowserWindow): Promise<void>;
  isOwnUrl(url: string): boolean;
}

/**
 * The built renderer from out/renderer, or in development the electron-vite dev server. The dev URL is only
 * honoured for an unpackaged app, so a stray variable cannot point a packaged app at another page.
 */
export function rendererLocation(app: App, outDir: string, env: NodeJS.ProcessEnv = process.env): RendererLocation {
  const devUrl = !app.isPackaged && env.ELECTRON_RENDERER_URL ? new URL(env.ELECTRON_RENDERER_URL) : null;
  const indexFile = join(outDir, 'renderer/index.html');
  const indexUrl = pathToFileURL(indexFile).href;
  return {
    load: (window) => (devUrl ? window.loadURL(devUrl.href) : window.loadFile(indexFile)),
    isOwnUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return false;
      }
      if (devUrl) return parsed.origin === devUrl.origin;
      // The page may change its hash (routes) but never its document.
      return `${parsed.protocol}//${parsed.host}${parsed.pathname}` === indexUrl;
    },
  };
}

export interface MainWindowOptions {
  location: RendererLocation;
  preload: string;
  icon: string;
  /** False when there is no tray to come back from: closing the window then quits. */
  hideOnClose(): boolean;
}

/**
 * The one dashboard window. Closing it hides it to the tray (the servers keep running); `show()` brings it back,
 * creating it again if it was destroyed. `prepareToQuit()` lets the next close really close.
 */
export class MainWindow {
  private window: BrowserWindow | null = null;
  private quitting = false;

  constructor(private readonly options: MainWindowOptions) {}

  /** Windows whose pages may call the AppApi. */
  get windows(): BrowserWindow[] {
    return this.window && !this.window.isDestroyed() ? [this.window] : [];
  }

  owns(contents: WebContents): boolean {
    return this.windows.some((w) => w.webContents === contents);
  }

  show(): void {
    const window = this.window && !this.window.isDestroyed() ? this.window : this.create();
    if (window.isMinimized()) window.restore();
    if (window.webContents.isLoading()) window.once('ready-to-show', () => window.show());
    else window.show();
    window.focus();
  }

  /** Creates the window without showing it (a start at login stays in the tray). */
  ensureCreated(): void {
    if (!this.window || this.window.isDestroyed()) this.create();
  }

  prepareToQuit(): void {
    this.quitting = true;
  }

  private create(): BrowserWindow {
    const window = new BrowserWindow({
      title: 'MCP Switchboard',
      width: 1200,
      height: 780,
      minWidth: 720,
      minHeight: 480,
      show: false,
      icon: this.options.icon,
      webPreferences: {
        preload: this.options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    });
    window.on('close', (event) => {
      if (this.quitting || !this.options.hideOnClose()) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    this.window = window;
    void this.options.location.load(window);
    return window;
  }
}
