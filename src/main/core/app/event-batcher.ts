import type { AppEventName, AppEvents } from '../../../shared/app-api.js';
import type { AppEventBatch, AppEventEntry } from '../../../shared/app-transport.js';

export interface EventBatcherOptions {
  /** Hands one coalesced batch to the transport (IPC send, SSE write). */
  deliver(batch: AppEventBatch): void;
  /** Default 100 ms: about ten batches a second however busy the engine is. */
  intervalMs?: number;
  /** Log lines and traffic frames kept per batch; the oldest go first (a live view shows what is happening now). */
  maxItems?: number;
  /** A throwing transport must not break the engine that emits; its errors end up here. */
  onError?(error: unknown): void;
}

/**
 * Coalesces engine events for a page, so a busy server costs the UI ten messages a second, not one per frame:
 * log and traffic arrays are concatenated, `metrics` keeps only the latest snapshot, `serverState` the latest per
 * server, `serversChanged` the union of names, and terminal output is joined per terminal. Entries keep the order
 * in which their first event arrived. The timer only runs while something is waiting.
 */
export class EventBatcher {
  private pending = new Map<string, AppEventEntry>();
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;
  private seq = 0;
  private readonly intervalMs: number;
  private readonly maxItems: number;

  constructor(private readonly options: EventBatcherOptions) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxItems = options.maxItems ?? 5000;
  }

  push<E extends AppEventName>(event: E, payload: AppEvents[E]): void {
    if (this.disposed) return;
    this.merge({ event, payload } as AppEventEntry);
    if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
      this.timer.unref?.();
    }
  }

  /** Delivers whatever is waiting, now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      this.options.deliver(batch);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Drops what is waiting and stops for good. */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    this.disposed = true;
  }

  private merge(entry: AppEventEntry): void {
    const key = this.keyOf(entry);
    const prev = this.pending.get(key);
    if (!prev) return void this.pending.set(key, copyOf(entry, this.maxItems));
    switch (entry.event) {
      case 'logs':
      case 'traffic': {
        const items = (prev.payload as unknown[]).concat(entry.payload);
        prev.payload = (items.length > this.maxItems ? items.slice(-this.maxItems) : items) as never;
        return;
      }
      case 'serversChanged': {
        const names = (prev.payload as AppEvents['serversChanged']).names;
        prev.payload = { names: [...new Set([...names, ...entry.payload.names])] } as never;
        return;
      }
      case 'terminalData': {
        const data = (prev.payload as AppEvents['terminalData']).data + entry.payload.data;
        prev.payload = { id: entry.payload.id, data } as never;
        return;
      }
      default:
        prev.payload = entry.payload as never;
    }
  }

  private keyOf(entry: AppEventEntry): string {
    switch (entry.event) {
      case 'serverState':
        return `serverState\u0000${entry.payload.server}`;
      case 'terminalData':
        return `terminalData\u0000${entry.payload.id}`;
      case 'terminalExit':
      case 'warning':
      case 'explorer':
        // Each one matters on its own.
        return `${entry.event}\u0000${this.seq++}`;
      default:
        return entry.event;
    }
  }
}

/** The first entry of a key is copied, so merging never mutates an array the engine still holds. */
function copyOf(entry: AppEventEntry, maxItems: number): AppEventEntry {
  if (entry.event === 'logs' || entry.event === 'traffic') {
    const items = entry.payload as unknown[];
    return { event: entry.event, payload: items.slice(-maxItems) } as AppEventEntry;
  }
  return { ...entry };
}
