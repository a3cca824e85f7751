import { join } from 'node:path';
import { Menu, Tray, clipboard, nativeImage, type NativeImage } from 'electron';
import type { AppHost } from '../core/app/app-host.js';
import type { Logger } from '../core/util/logger.js';
import { overallState, trayMenuTemplate, trayTooltip, type OverallState, type TrayView } from './tray-menu.js';

export interface AppTrayOptions {
  host: AppHost;
  /** resources/: tray-idle.png, tray-ok.png, tray-warn.png, tray-error.png (each with an @2x). */
  iconDir: string;
  openDashboard(): void;
  quit(): void;
  logger?: Logger;
}

/**
 * The tray icon shows the overall state at a glance; its menu opens the dashboard, starts and stops servers,
 * copies the endpoint and the token, and quits. It rebuilds itself when servers change state, at most a few times
 * a second.
 */
export class AppTray {
  private readonly tray: Tray;
  private readonly icons = new Map<OverallState, NativeImage>();
  private readonly off: () => void;
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;
  private current: Menu | null = null;

  constructor(private readonly options: AppTrayOptions) {
    for (const state of ['idle', 'ok', 'warn', 'error'] as const) {
      this.icons.set(state, nativeImage.createFromPath(join(options.iconDir, `tray-${state}.png`)));
    }
    this.tray = new Tray(this.icons.get('idle')!);
    this.tray.setToolTip('MCP Switchboard');
    // Windows and most Linux trays open the menu on right-click; a left-click there means "show me the app".
    if (process.platform !== 'darwin') this.tray.on('click', () => options.openDashboard());
    this.off = options.host.onEvent((event) => {
      if (event === 'serverState' || event === 'serversChanged') this.schedule();
    });
    this.schedule(0);
  }

  /** The menu as last built (for the e2e spec). */
  get menu(): Menu | null {
    return this.current;
  }

  popUp(): void {
    if (this.current) this.tray.popUpContextMenu(this.current);
  }

  async refresh(): Promise<void> {
    const { api } = this.options.host;
    const [servers, connection] = await Promise.all([api.listServers(), api.getConnectionInfo()]);
    if (this.disposed) return;
    const aggregate = connection.endpoints.find((e) => e.name === null);
    const view: TrayView = { servers, endpoint: aggregate?.streamableHttp ?? null, token: connection.token };
    this.current = Menu.buildFromTemplate(
      trayMenuTemplate(view, {
        openDashboard: this.options.openDashboard,
        start: (name) => this.act(api.startServer(name), `start ${name}`),
        stop: (name) => this.act(api.stopServer(name), `stop ${name}`),
        copy: (text) => clipboard.writeText(text),
        quit: this.options.quit,
      }),
    );
    this.tray.setContextMenu(this.current);
    const state = overallState(servers.map((s) => ({ state: s.status.state })));
    this.tray.setImage(this.icons.get(state)!);
    this.tray.setToolTip(trayTooltip(servers));
  }

  dispose(): void {
    this.disposed = true;
    this.off();
    if (this.timer) clearTimeout(this.timer);
    this.tray.destroy();
  }

  private schedule(delayMs = 250): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().catch((error: unknown) =>
        this.options.logger?.warn(`tray menu not updated: ${(error as Error).message ?? error}`),
      );
    }, delayMs);
  }

  private act(call: Promise<unknown>, what: string): void {
    // The outcome shows up as a state change (and in the dashboard); a failure is logged here.
    call.catch((error: unknown) => this.options.logger?.warn(`tray: could not ${what}: ${(error as Error).message}`));
  }
}
