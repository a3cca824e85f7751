import type { AppBridge } from '../../../shared/app-api.js';
import { createExplorerStore, type ExplorerStore } from './explorer-store.js';
import { connectLogs, createLogsStore, type LogsStore } from './logs-store.js';
import { createMetricsStore, type MetricsStore } from './metrics-store.js';
import { createServersStore, type ServersStore } from './servers-store.js';
import { createSettingsStore, type SettingsStore } from './settings-store.js';
import { connectTraffic, createTrafficStore, type TrafficStore } from './traffic-store.js';
import { createUiStore, syncRouteWithHash, type UiStore } from './ui-store.js';

/** One store per domain, all built from the one bridge they talk through. Constructed, never imported. */
export interface AppStores {
  bridge: AppBridge;
  servers: ServersStore;
  logs: LogsStore;
  traffic: TrafficStore;
  metrics: MetricsStore;
  settings: SettingsStore;
  explorer: ExplorerStore;
  ui: UiStore;
}

export function createAppStores(bridge: AppBridge, initialHash = ''): AppStores {
  return {
    bridge,
    servers: createServersStore(bridge),
    logs: createLogsStore(),
    traffic: createTrafficStore(),
    metrics: createMetricsStore(),
    settings: createSettingsStore(bridge),
    explorer: createExplorerStore(bridge),
    ui: createUiStore(initialHash),
  };
}

/**
 * Subscribes every store to the engine's events and loads what the first screen needs. Each event batch becomes
 * one store update. Returns the function that undoes all of it.
 */
export function startAppStores(stores: AppStores): () => void {
  const { bridge } = stores;
  const offs = [
    bridge.on('serverState', (event) => stores.servers.getState().applyState(event)),
    bridge.on('serversChanged', () => void stores.servers.getState().load()),
    bridge.on('metrics', (snapshot) => {
      stores.metrics.getState().ingest(snapshot);
      stores.servers.getState().applyMetrics(snapshot);
    }),
    bridge.on('warning', ({ message }) => stores.ui.getState().notify(message)),
    connectLogs(bridge, stores.logs),
    connectTraffic(bridge, stores.traffic),
    syncRouteWithHash(stores.ui),
  ];
  void stores.servers.getState().load();
  bridge.getMetrics().then(
    (snapshot) => stores.metrics.getState().ingest(snapshot),
    () => undefined, // the charts fill from live snapshots anyway
  );
  return () => {
    for (const off of offs) off();
  };
}
