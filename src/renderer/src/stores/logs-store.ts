import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppBridge, LogLine } from '../../../shared/app-api.js';
import { errorMessage } from '../lib/errors.js';
import { Ring } from '../lib/ring.js';
import { notifyLater } from './notify-later.js';

export const LOG_CAPACITY = 100_000;

export interface LogsState {
  /** Mutable, bounded; `version` changes once per ingested batch so views know to look again. */
  ring: Ring<LogLine>;
  version: number;
  historyError: string | null;
  ingest(lines: readonly LogLine[]): void;
  clear(): void;
}

export type LogsStore = StoreApi<LogsState>;

export function createLogsStore(): LogsStore {
  return createStore<LogsState>()((set, get) => {
    const publish = notifyLater(() => set({ version: get().version + 1 }));
    return {
      ring: new Ring<LogLine>(LOG_CAPACITY),
      version: 0,
      historyError: null,
      ingest(lines) {
        if (lines.length === 0) return;
        get().ring.pushAll(lines);
        publish();
      },
      clear() {
        get().ring.clear();
        publish();
      },
    };
  });
}

const lineKey = (l: LogLine) => `${l.time}\u0000${l.source}\u0000${l.message}`;

/**
 * Reads recent history, then live lines. Live lines that arrive while the history query runs are held and
 * de-duplicated against it, so nothing shows twice and nothing is lost. Returns the unsubscribe.
 */
export function connectLogs(bridge: AppBridge, store: LogsStore, historyLimit = 5000): () => void {
  let held: LogLine[] | null = [];
  const off = bridge.on('logs', (lines) => {
    if (held) held.push(...lines);
    else store.getState().ingest(lines);
  });
  bridge
    .queryLogs({ limit: historyLimit })
    .then(
      (history) => {
        const sorted = [...history].sort((a, b) => a.time - b.time);
        const seen = new Set(sorted.map(lineKey));
        store.getState().ingest([...sorted, ...(held ?? []).filter((l) => !seen.has(lineKey(l)))]);
      },
      (err: unknown) => {
        store.setState({ historyError: errorMessage(err) });
        store.getState().ingest(held ?? []);
      },
    )
    .finally(() => {
      held = null;
    });
  return off;
}
