import { AppError, appMethods, type AppApi, type AppEventName, type AppEvents } from '../../src/shared/app-api.js';
import type { AppHost } from '../../src/main/core/app/app-host.js';

type AnyListener = <E extends AppEventName>(event: E, payload: AppEvents[E]) => void;

export interface StubAppHost extends AppHost {
  emit<E extends AppEventName>(event: E, payload: AppEvents[E]): void;
  readonly listenerCount: number;
  /** Every call that reached the API, in order. */
  readonly calls: Array<{ method: string; args: unknown[] }>;
}

/**
 * A minimal AppHost for the transports' tests: the methods given are real, every other one throws not_found, and
 * events are whatever the test emits.
 */
export function stubAppHost(impl: Partial<AppApi> = {}): StubAppHost {
  const calls: StubAppHost['calls'] = [];
  const api = Object.fromEntries(
    appMethods.map((method) => [
      method,
      async (...args: unknown[]) => {
        calls.push({ method, args });
        const fn = impl[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
        if (!fn) throw new AppError('not_found', `${method} is not implemented by this test host`);
        return fn(...args);
      },
    ]),
  ) as unknown as AppApi;
  const listeners = new Set<AnyListener>();
  return {
    api,
    calls,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event, payload) {
      for (const listener of listeners) listener(event, payload);
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}
