import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppBridge, LogLine } from '../../../shared/app-api.js';
import { errorMessage } from '../lib/errors.js';
import { Ring } from '../lib/ring.js';
import { notifyLater } from './notify-later.js';
import { historyThenLive } from '../lib/history-then-live.js';

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

/** A line belongs to its server and to its source (a server's own name, 'engine' or 'gateway'). */
export const logKeys = (l: LogLine): string | string[] =>
  l.server !== undefined && l.server !== l.source ? [l.server, l.source] : l.source;

export function createLogsStore(): LogsStore {
  return createStore<LogsState>()((set, get) => {
    const publish = notifyLater(() => set({ version: get().version + 1 }));
    return {
      ring: new Ring<LogLine>(LOG_CAPACITY, logKeys),
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

/** Recent history, then live lines (held while the query runs and de-duplicated). Returns the unsubscribe. */
export function connectLogs(bridge: AppBridge, store: LogsStore, historyLimit = 5000): () => void {
  return historyThenLive<LogLine>({
    subscribe: (onItems) => bridge.on('logs', onItems),
    history: () => bridge.queryLogs({ limit: historyLimit }),
    ingest: (lines) => store.getState().ingest(lines),
    onHistoryError: (err) => store.setState({ historyError: errorMessage(err) }),
    compare: (a, b) => a.time - b.time,
    key: lineKey,
  });
}
