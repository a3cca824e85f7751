import type { AppBridge } from '../../../shared/app-api.js';
import { connectExplorer, createExplorerStore, type ExplorerStore } from './explorer-store.js';
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
  const feeds = () => [connectLogs(bridge, stores.logs), connectTraffic(bridge, stores.traffic)];
  let live = feeds();
  // Back after the link to the host dropped: what happened meanwhile was never pushed, so read everything again.
  const refreshAll = () => {
    for (const off of live) off();
    stores.logs.getState().clear();
    stores.traffic.getState().clear();
    live = feeds();
    void stores.servers.getState().load();
    void stores.settings.getState().load();
    bridge.getMetrics().then(
      (m) => stores.metrics.getState().ingest(m),
      () => undefined,
    );
    for (const server of Object.keys(stores.explorer.getState().catalogs)) void stores.explorer.getState().load(server);
  };
  const offs = [
    bridge.on('serverState', (event) => stores.servers.getState().applyState(event)),
    bridge.on('serversChanged', () => void stores.servers.getState().load()),
    bridge.on('metrics', (snapshot) => {
      stores.metrics.getState().ingest(snapshot);
      stores.servers.getState().applyMetrics(snapshot);
    }),
    bridge.on('warning', ({ message }) => stores.ui.getState().notify(message)),
    () => live.forEach((off) => off()),
    connectExplorer(bridge, stores.explorer),
    bridge.on('connection', ({ state }) => state === 'online' && refreshAll()),
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
