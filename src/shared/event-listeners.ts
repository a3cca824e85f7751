import type { AppEventName, AppEvents } from './app-api.js';

type Listener = (payload: never) => void;

export interface EventListenerHooks {
  /** The first listener of all arrived: open the transport (an IPC channel, an EventSource). */
  onActive?(): void;
  /** The first listener of this event arrived. */
  onEventAdded?(event: AppEventName): void;
  /** The last listener left: close the transport. */
  onIdle?(): void;
}

/**
 * The listener bookkeeping both page-side bridges share (the preload over IPC, the web client over SSE): typed
 * `on` returning its own unsubscribe, and delivery that isolates a throwing listener from the others.
 */
export class AppEventListeners {
  private readonly listeners = new Map<AppEventName, Set<Listener>>();

  constructor(private readonly hooks: EventListenerHooks = {}) {}

  on<E extends AppEventName>(event: E, listener: (payload: AppEvents[E]) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('on(event, listener): listener must be a function');
    if (this.listeners.size === 0) this.hooks.onActive?.();
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
      this.hooks.onEventAdded?.(event);
    }
    const fn = listener as Listener;
    set.add(fn);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(event);
      if (this.listeners.size === 0) this.hooks.onIdle?.();
    };
  }

  emit(event: AppEventName, payload: unknown): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        (fn as (p: unknown) => void)(payload);
      } catch (error) {
        console.error(`Switchboard: a "${event}" listener failed`, error);
      }
    }
  }
}
