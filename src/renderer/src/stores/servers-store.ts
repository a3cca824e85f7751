import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppBridge, AppEvents, AppInfo, MetricsSnapshot, ServerView } from '../../../shared/app-api.js';
import type { ServerDefinitionInput } from '../../../shared/server-definition.js';
import { errorMessage } from '../lib/errors.js';

export interface ServersState {
  loaded: boolean;
  /** Why the list could not be read (the engine's words); null when it could. */
  loadError: string | null;
  /** Names in alphabetical order: a restart or a state change never moves a row. */
  names: string[];
  byName: Record<string, ServerView>;
  appInfo: AppInfo | null;

  load(): Promise<void>;
  applyState(event: AppEvents['serverState']): void;
  applyMetrics(snapshot: MetricsSnapshot): void;
  /** Each action throws the engine's AppError for the caller to show where the user acted. */
  add(definition: ServerDefinitionInput): Promise<ServerView>;
  update(name: string, definition: ServerDefinitionInput): Promise<ServerView>;
  remove(name: string): Promise<void>;
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  /** `auto` sharing: forget the decision; new sessions share the server's child again. */
  resetSharing(name: string): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<void>;
  addDemo(): Promise<ServerView>;
  /** After an import or a `serversChanged` event. */
  put(views: ServerView[]): void;
}

export type ServersStore = StoreApi<ServersState>;

/** The list's order: by name, case-insensitively, digits compared as numbers ("srv-2" before "srv-10"). */
const compareNames = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true });

export function createServersStore(bridge: AppBridge): ServersStore {
  return createStore<ServersState>()((set, get) => {
    // A state change can happen between the list being read and the event stream being connected; metrics
    // snapshots carry every server's state, so a mismatch means we missed an event: read the list again.
    let resyncAt = 0;
    const resync = () => {
      if (Date.now() - resyncAt < 2000) return;
      resyncAt = Date.now();
      void get().load();
    };
    const put = (views: ServerView[]) => {
      if (views.length === 0) return;
      const byName = { ...get().byName };
      const names = [...get().names];
      for (const view of views) {
        if (!(view.definition.name in byName)) names.push(view.definition.name);
        byName[view.definition.name] = view;
      }
      set({ byName, names: names.sort(compareNames) });
    };
    const one = async (call: Promise<ServerView>) => {
      const view = await call;
      put([view]);
      return view;
    };
    return {
      loaded: false,
      loadError: null,
      names: [],
      byName: {},
      appInfo: null,

      async load() {
        try {
          const [views, appInfo] = await Promise.all([bridge.listServers(), get().appInfo ?? bridge.getAppInfo()]);
          const byName: Record<string, ServerView> = {};
          for (const view of views) byName[view.definition.name] = view;
          const names = views.map((v) => v.definition.name).sort(compareNames);
          set({ loaded: true, loadError: null, names, byName, appInfo });
        } catch (err) {
          set({ loaded: true, loadError: errorMessage(err) });
        }
      },
      applyState(event) {
        const view = get().byName[event.server];
        if (!view) return;
        const { server: _server, ...status } = event;
        set({ byName: { ...get().byName, [event.server]: { ...view, status } } });
      },
      applyMetrics(snapshot) {
        const current = get().byName;
        let byName: Record<string, ServerView> | null = null;
        let missed = false;
        for (const [name, stats] of Object.entries(snapshot.servers)) {
          const view = current[name];
          if (!view) {
            missed = true;
            continue;
          }
          const { state, ...rest } = stats;
          if (state !== view.status.state && snapshot.time > view.status.since) missed = true;
          byName ??= { ...current };
          byName[name] = { ...view, stats: rest };
        }
        if (byName) set({ byName });
        if (missed && get().loaded) resync();
      },
      add: (definition) => one(bridge.addServer(definition)),
      update: (name, definition) => one(bridge.updateServer(name, definition)),
      async remove(name) {
        await bridge.removeServer(name);
        const { [name]: _gone, ...byName } = get().byName;
        set({ byName, names: get().names.filter((n) => n !== name) });
      },
      start: async (name) => void (await one(bridge.startServer(name))),
      stop: async (name) => void (await one(bridge.stopServer(name))),
      restart: async (name) => void (await one(bridge.restartServer(name))),
      resetSharing: async (name) => void (await one(bridge.resetSharingDecision(name))),
      setEnabled: async (name, enabled) => void (await one(bridge.setServerEnabled(name, enabled))),
      addDemo: () => one(bridge.addDemoServer()),
      put,
    };
  });
}
