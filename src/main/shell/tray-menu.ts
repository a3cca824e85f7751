import type { MenuItemConstructorOptions } from 'electron';
import type { ServerState, ServerView } from '../../shared/app-api.js';

/** The tray icon's colour: grey nothing running, green all running, amber something in between, red a failure. */
export type OverallState = 'idle' | 'ok' | 'warn' | 'error';

export function overallState(servers: Array<{ state: ServerState; enabled?: boolean }>): OverallState {
  const states = servers.map((s) => s.state);
  if (states.includes('failed')) return 'error';
  const between: ServerState[] = ['degraded', 'backoff', 'starting', 'installing', 'stopping'];
  if (states.some((s) => between.includes(s))) return 'warn';
  return states.includes('running') ? 'ok' : 'idle';
}

export interface TrayActions {
  openDashboard(): void;
  start(name: string): void;
  stop(name: string): void;
  copy(text: string): void;
  quit(): void;
}

export interface TrayView {
  servers: ServerView[];
  /** The aggregate endpoint (Streamable HTTP) of the gateway. */
  endpoint: string | null;
  token: string | null;
}

const stateWords: Record<ServerState, string> = {
  stopped: 'stopped',
  starting: 'starting…',
  installing: 'installing…',
  running: 'running',
  degraded: 'degraded',
  stopping: 'stopping…',
  backoff: 'restarting…',
  failed: 'failed',
};

/** The tray menu, as a plain template (no Electron at run time), so it can be checked in a unit test. */
export function trayMenuTemplate(view: TrayView, actions: TrayActions): MenuItemConstructorOptions[] {
  const servers: MenuItemConstructorOptions[] = view.servers.map(({ definition, status, endpoints }) => {
    const { name } = definition;
    const busy = status.state === 'starting' || status.state === 'stopping';
    // An install can take minutes: it can be stopped like a running server.
    const up = ['running', 'degraded', 'backoff', 'installing'].includes(status.state);
    return {
      label: `${name}: ${stateWords[status.state]}`,
      submenu: [
        { label: 'Start', enabled: !busy && !up, click: () => actions.start(name) },
        { label: 'Stop', enabled: !busy && up, click: () => actions.stop(name) },
        { type: 'separator' },
        { label: 'Copy endpoint URL', click: () => actions.copy(endpoints.streamableHttp) },
      ],
    };
  });
  return [
    { label: 'Open dashboard', click: actions.openDashboard },
    { type: 'separator' },
    ...(servers.length > 0 ? servers : [{ label: 'No servers yet', enabled: false }]),
    { type: 'separator' },
    {
      label: 'Copy endpoint URL',
      enabled: view.endpoint !== null,
      click: () => view.endpoint && actions.copy(view.endpoint),
    },
    { label: 'Copy token', enabled: view.token !== null, click: () => view.token && actions.copy(view.token) },
    { type: 'separator' },
    { label: 'Quit MCP Switchboard', click: actions.quit },
  ];
}

export function trayTooltip(servers: ServerView[]): string {
  const running = servers.filter((s) => s.status.state === 'running').length;
  const failed = servers.filter((s) => s.status.state === 'failed').length;
  const parts = [`MCP Switchboard: ${running} of ${servers.length} running`];
  if (failed > 0) parts.push(`${failed} failed`);
  return parts.join(', ');
}
