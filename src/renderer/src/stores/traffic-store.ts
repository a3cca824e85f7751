import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppBridge, TrafficFrame } from '../../../shared/app-api.js';
import { errorMessage } from '../lib/errors.js';
import { clientLabel, TrafficPairing } from '../lib/traffic-pairing.js';
import { notifyLater } from './notify-later.js';
import { historyThenLive } from '../lib/history-then-live.js';

export const TRAFFIC_CAPACITY = 30_000;

export interface TrafficState {
  /** Mutable, bounded; `version` changes once per ingested batch. */
  pairing: TrafficPairing;
  version: number;
  /** Client labels seen per server, for the filter. Replaced only when a new one appears. */
  clients: Record<string, string[]>;
  historyError: string | null;
  ingest(frames: readonly TrafficFrame[]): void;
  /** A server's child went down: its requests still pending were answered with an error by Switchboard. */
  serverDown(server: string, since: number, reason: string): void;
  clear(): void;
}

export type TrafficStore = StoreApi<TrafficState>;

export function createTrafficStore(capacity = TRAFFIC_CAPACITY): TrafficStore {
  return createStore<TrafficState>()((set, get) => {
    let newClients: Record<string, string[]> | null = null;
    // One store update (one render) per event batch at most, in a task after the one that received it.
    const publish = notifyLater(() => {
      set(newClients ? { version: get().version + 1, clients: newClients } : { version: get().version + 1 });
      newClients = null;
    });
    return {
      pairing: new TrafficPairing(capacity),
      version: 0,
      clients: {},
      historyError: null,
      ingest(frames) {
        if (frames.length === 0) return;
        const { pairing, clients } = get();
        pairing.ingest(frames);
        for (const frame of frames) {
          if (frame.session === null && frame.clientName === undefined) continue;
          const label = clientLabel(frame);
          const known = (newClients ?? clients)[frame.server] ?? [];
          if (known.includes(label)) continue;
          newClients ??= { ...clients };
          newClients[frame.server] = [...known, label];
        }
        publish();
      },
      serverDown(server, since, reason) {
        if (get().pairing.closeServer(server, since, reason) > 0) publish();
      },
      clear() {
        get().pairing.clear();
        publish();
      },
    };
  });
}

/** History first, then live frames (held while the query runs and de-duplicated by seq). Returns the unsubscribe. */
export function connectTraffic(bridge: AppBridge, store: TrafficStore, historyLimit = 2000): () => void {
  const offState = bridge.on('serverState', ({ server, state, since, reason }) => {
    if (state === 'backoff' || state === 'failed' || state === 'stopped')
      store.getState().serverDown(server, since, reason);
  });
  const offFrames = historyThenLive<TrafficFrame>({
    subscribe: (onItems) => bridge.on('traffic', onItems),
    history: () => bridge.queryTraffic({ limit: historyLimit }),
    ingest: (frames) => store.getState().ingest(frames),
    onHistoryError: (err) => store.setState({ historyError: errorMessage(err) }),
    compare: (a, b) => a.time - b.time || a.seq - b.seq,
    key: (f) => f.seq,
  });
  return () => {
    offState();
    offFrames();
  };
}
