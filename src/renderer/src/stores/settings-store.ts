import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppBridge, AppSettings, ConnectionInfo, SettingsView } from '../../../shared/app-api.js';
import { errorMessage } from '../lib/errors.js';

export interface SettingsState {
  view: SettingsView | null;
  loadError: string | null;
  /** The gateway's address and token: Settings shows the token, Connect builds snippets from both. */
  connection: ConnectionInfo | null;
  connectionError: string | null;
  load(): Promise<void>;
  loadConnection(): Promise<void>;
  /** Throws the engine's AppError (the form shows it next to the Save button). */
  save(patch: Partial<AppSettings>): Promise<SettingsView>;
  regenerateToken(): Promise<void>;
}

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(bridge: AppBridge): SettingsStore {
  return createStore<SettingsState>()((set) => ({
    view: null,
    loadError: null,
    connection: null,
    connectionError: null,
    async load() {
      try {
        set({ view: await bridge.getSettings(), loadError: null });
      } catch (err) {
        set({ loadError: errorMessage(err) });
      }
    },
    async loadConnection() {
      try {
        set({ connection: await bridge.getConnectionInfo(), connectionError: null });
      } catch (err) {
        set({ connectionError: errorMessage(err) });
      }
    },
    async save(patch) {
      const view = await bridge.updateSettings(patch);
      set({ view });
      return view;
    },
    async regenerateToken() {
      set({ connection: await bridge.regenerateToken() });
    },
  }));
}
