// The tray's menu and icon state are plain functions (Electron is only imported for types), so they are checked
// here; the Electron e2e spec opens the real menu where a binary exists.
import { describe, expect, it, vi } from 'vitest';
import type { ServerState, ServerView } from '../../shared/app-api.js';
import { mergedPath } from './login-path.js';
import { overallState, trayMenuTemplate, trayTooltip, type TrayActions } from './tray-menu.js';

function server(name: string, state: ServerState): ServerView {
  return {
    definition: { name } as ServerView['definition'],
    status: { state, reason: '', since: 0, pid: null },
    stats: {} as ServerView['stats'],
    endpoints: { streamableHttp: `http://127.0.0.1:8808/servers/${name}/mcp`, sse: '' },
    serverInfo: null,
  };
}

describe('overallState', () => {
  it.each<[ServerState[], string]>([
    [[], 'idle'],
    [['stopped'], 'idle'],
    [['running', 'stopped'], 'ok'],
    [['running', 'backoff'], 'warn'],
    [['starting'], 'warn'],
    [['running', 'failed'], 'error'],
  ])('%j → %s', (states, expected) => {
    expect(overallState(states.map((state) => ({ state })))).toBe(expected);
  });
});

describe('trayMenuTemplate', () => {
  const actions: TrayActions = {
    openDashboard: vi.fn(),
    start: vi.fn(),
    stop: vi.fn(),
    copy: vi.fn(),
    quit: vi.fn(),
  };

  it('opens the dashboard, starts and stops each server, copies the endpoint and the token, and quits', () => {
    const template = trayMenuTemplate(
      { servers: [server('a', 'running'), server('b', 'stopped')], endpoint: 'http://127.0.0.1:8808/mcp', token: 'tk' },
      actions,
    );
    const labels = template.map((i) => i.label ?? `(${i.type})`);
    expect(labels).toEqual([
      'Open dashboard',
      '(separator)',
      'a: running',
      'b: stopped',
      '(separator)',
      'Copy endpoint URL',
      'Copy token',
      '(separator)',
      'Quit MCP Switchboard',
    ]);
    const click = (label: string, items = template) => (items.find((i) => i.label === label)!.click as () => void)();
    const sub = (label: string) => template.find((i) => i.label === label)!.submenu as typeof template;
    expect(sub('a: running').find((i) => i.label === 'Start')!.enabled).toBe(false);
    expect(sub('b: stopped').find((i) => i.label === 'Stop')!.enabled).toBe(false);
    click('Stop', sub('a: running'));
    click('Start', sub('b: stopped'));
    click('Copy endpoint URL', sub('a: running'));
    click('Copy endpoint URL');
    click('Copy token');
    click('Open dashboard');
    click('Quit MCP Switchboard');
    expect(actions.stop).toHaveBeenCalledWith('a');
    expect(actions.start).toHaveBeenCalledWith('b');
    expect(actions.copy).toHaveBeenNthCalledWith(1, 'http://127.0.0.1:8808/servers/a/mcp');
    expect(actions.copy).toHaveBeenNthCalledWith(2, 'http://127.0.0.1:8808/mcp');
    expect(actions.copy).toHaveBeenNthCalledWith(3, 'tk');
    expect(actions.openDashboard).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
  });

  it('greys out what does not exist: no servers, no token', () => {
    const template = trayMenuTemplate({ servers: [], endpoint: null, token: null }, actions);
    expect(template.find((i) => i.label === 'No servers yet')?.enabled).toBe(false);
    expect(template.find((i) => i.label === 'Copy token')?.enabled).toBe(false);
    expect(trayTooltip([server('a', 'running'), server('b', 'failed')])).toBe(
      'MCP Switchboard: 1 of 2 running, 1 failed',
    );
  });
});

describe('mergedPath', () => {
  it('puts the login shell PATH first and drops duplicates', () => {
    expect(mergedPath('/usr/bin:/bin', '/home/u/.nvm/bin:/usr/bin')).toBe('/home/u/.nvm/bin:/usr/bin:/bin');
    expect(mergedPath(undefined, null)).toBe('');
    expect(mergedPath('/usr/bin', null)).toBe('/usr/bin');
  });
});
