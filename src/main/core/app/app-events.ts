import type { AppEventName, AppEvents } from '../../../shared/app-api.js';
import type { Engine } from '../engine.js';
import type { Store } from '../store/index.js';
import type { AppHost } from './app-host.js';
import type { AppService } from './app-service.js';
import type { TelemetryHub } from './telemetry-hub.js';
import type { TerminalManager } from './terminal-manager.js';
import { logLine, trafficFrame } from './views.js';

type Emit = <E extends AppEventName>(event: E, payload: AppEvents[E]) => void;

export interface EventSources {
  engine: Engine;
  telemetry: TelemetryHub;
  service: AppService;
  store: Store | null;
  terminals: TerminalManager | null;
  /** How often a metrics snapshot goes out while someone listens. */
  metricsIntervalMs?: number;
}

/**
 * Everything the engine tells the page, as AppEvents. Sources are subscribed only while a host listens, and each
 * listener's unsubscribe removes exactly what it added. Logs and traffic arrive already batched (~10/s).
 */
export function eventSource(s: EventSources): AppHost['onEvent'] {
  return (listener) => {
    const emit: Emit = (event, payload) => listener(event, payload);
    const stops: Array<() => void> = [
      s.engine.stateChanges.on((c) => {
        const server = s.engine.servers.get(c.server);
        emit('serverState', {
          server: c.server,
          state: c.state,
          reason: c.reason,
          since: c.at,
          pid: server?.pid ?? null,
          ...(c.stderrTail ? { stderrTail: c.stderrTail } : {}),
        });
      }),
      s.engine.serversChanged.on((c) => emit('serversChanged', { names: [...c.added, ...c.updated, ...c.removed] })),
      // An `auto` server decided (or was reset): its row shows the sharing it now has.
      s.engine.sharingDecisions.changed.on((name) => emit('serversChanged', { names: [name] })),
      s.telemetry.logs.onBatch((batch) => emit('logs', batch.items.map(logLine))),
      s.telemetry.traffic.onBatch((batch) => emit('traffic', batch.items.map(trafficFrame))),
      s.service.explorer.events.on((e) => emit('explorer', e)),
    ];
    if (s.store) {
      stops.push(s.store.warnings.on((w) => emit('warning', { message: (w as { message: string }).message })));
    }
    if (s.terminals) {
      stops.push(
        s.terminals.data.on((d) => emit('terminalData', d)),
        s.terminals.exits.on((e) => emit('terminalExit', e)),
      );
    }
    const timer = setInterval(() => {
      void s.service.getMetrics().then((m) => emit('metrics', m));
    }, s.metricsIntervalMs ?? 1000);
    timer.unref();
    stops.push(() => clearInterval(timer));
    return () => {
      for (const stop of stops) stop();
    };
  };
}
