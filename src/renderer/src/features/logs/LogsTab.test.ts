/**
 * The Logs tab's note of stderr lines dropped over the rate cap, summed per server from the engine's summary rows.
 * Rendered to HTML with React's server renderer, which needs no DOM.
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AppBridge, LogLine } from '../../../../shared/app-api.js';
import { StoresProvider } from '../../app-context.js';
import type { AppStores } from '../../stores/app-stores.js';
import { createLogsStore } from '../../stores/logs-store.js';
import { createServersStore } from '../../stores/servers-store.js';
import { LogsTab } from './LogsTab.js';

/** The engine's summary row (droppedSummary in src/main/core/supervisor/stderr-limiter.ts, tested there too). */
const droppedSummary = (count: number) => `[switchboard] dropped ${count} stderr lines over the rate cap`;

const stderr = (server: string, message: string): LogLine => ({
  time: Date.now(),
  level: 'info',
  source: `switchboard:${server}:stderr`,
  server,
  stderr: true,
  message,
});

function render(server: string, lines: LogLine[]): string {
  const logs = createLogsStore();
  logs.getState().ring.pushAll(lines);
  // LogsTab reads only the logs and servers stores; the bridge is never called while rendering.
  const stores = { logs, servers: createServersStore({} as AppBridge) } as unknown as AppStores;
  const html = renderToString(createElement(StoresProvider, { stores, children: createElement(LogsTab, { server }) }));
  return html.replaceAll('<!-- -->', ''); // React's marker between adjacent text parts
}

describe('Logs tab: lines dropped over the rate cap', () => {
  it('sums the summary rows of the server shown, and says nothing when none were dropped', () => {
    const lines = [
      stderr('loud', 'flood line 1'),
      stderr('loud', droppedSummary(12_000)),
      stderr('loud', 'flood line 2'),
      stderr('loud', droppedSummary(3_456)),
      stderr('other', droppedSummary(99)),
      // An engine line that merely looks alike is not the limiter's summary.
      { ...stderr('loud', droppedSummary(1_000_000)), stderr: false, source: 'engine' },
    ];
    const html = render('loud', lines);
    expect(html).toContain('data-testid="log-dropped"');
    expect(html).toContain('15,456 lines dropped over the rate cap');
    expect(render('quiet', [stderr('quiet', 'hello')])).not.toContain('log-dropped');
  });
});
