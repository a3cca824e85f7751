import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ImportSource } from '../../../shared/app-api.js';
import type { ServerDefinition } from '../../../shared/server-definition.js';
import { formatRoute, parseRoute, type Route } from '../lib/route.js';

export type Dialog =
  | { kind: 'add'; draft?: ServerDefinition }
  | { kind: 'edit'; name: string }
  | { kind: 'remove'; name: string }
  | { kind: 'import'; source?: Pick<ImportSource, 'client' | 'path'> };

export interface Notice {
  id: number;
  message: string;
  tone: 'error' | 'warning' | 'info';
}

/** How long a notice stays before it goes by itself; errors stay until the user dismisses them. */
export const NOTICE_LIFETIME_MS: Record<Notice['tone'], number | null> = { info: 6_000, warning: 12_000, error: null };

export interface UiState {
  route: Route;
  dialog: Dialog | null;
  notices: Notice[];
  navigate(route: Route): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  notify(message: string, tone?: Notice['tone']): void;
  dismiss(id: number): void;
}

export type UiStore = StoreApi<UiState>;

const MAX_NOTICES = 5;

export function createUiStore(initialHash: string): UiStore {
  let nextId = 1;
  return createStore<UiState>()((set, get) => ({
    route: parseRoute(initialHash),
    dialog: null,
    notices: [],
    navigate(route) {
      set({ route });
    },
    openDialog(dialog) {
      set({ dialog });
    },
    closeDialog() {
      set({ dialog: null });
    },
    notify(message, tone = 'warning') {
      const id = nextId++;
      set({ notices: [...get().notices, { id, message, tone }].slice(-MAX_NOTICES) });
      const lifetime = NOTICE_LIFETIME_MS[tone];
      if (lifetime !== null) setTimeout(() => get().dismiss(id), lifetime);
    },
    dismiss(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
  }));
}

/** Keeps the route and `location.hash` in step both ways; returns the unsubscribe. */
export function syncRouteWithHash(store: UiStore): () => void {
  const onHash = () => {
    const route = parseRoute(location.hash);
    if (formatRoute(route) !== formatRoute(store.getState().route)) store.getState().navigate(route);
  };
  window.addEventListener('hashchange', onHash);
  const off = store.subscribe((state, prev) => {
    if (state.route === prev.route) return;
    const hash = formatRoute(state.route);
    if (location.hash !== hash) history.pushState(null, '', hash);
  });
  return () => {
    window.removeEventListener('hashchange', onHash);
    off();
  };
}
