import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppBridge } from '../../shared/app-api.js';
import type { AppStores } from './stores/app-stores.js';
import type { ExplorerState } from './stores/explorer-store.js';
import type { LogsState } from './stores/logs-store.js';
import type { MetricsState } from './stores/metrics-store.js';
import type { ServersState } from './stores/servers-store.js';
import type { SettingsState } from './stores/settings-store.js';
import type { TrafficState } from './stores/traffic-store.js';
import type { UiState } from './stores/ui-store.js';

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores() needs a <StoresProvider> above it');
  return stores;
}

export function useBridge(): AppBridge {
  return useStores().bridge;
}

/* One hook per domain; pass a selector so a component re-renders only when its slice changes. */
export const useServers = <T,>(select: (s: ServersState) => T): T => useStore(useStores().servers, select);
export const useLogs = <T,>(select: (s: LogsState) => T): T => useStore(useStores().logs, select);
export const useTraffic = <T,>(select: (s: TrafficState) => T): T => useStore(useStores().traffic, select);
export const useMetrics = <T,>(select: (s: MetricsState) => T): T => useStore(useStores().metrics, select);
export const useSettings = <T,>(select: (s: SettingsState) => T): T => useStore(useStores().settings, select);
export const useExplorer = <T,>(select: (s: ExplorerState) => T): T => useStore(useStores().explorer, select);
export const useUi = <T,>(select: (s: UiState) => T): T => useStore(useStores().ui, select);
