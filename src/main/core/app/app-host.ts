import type { AppApi, AppEventName, AppEvents } from '../../../shared/app-api.js';

/** What a host (the Electron shell, the web bridge) needs from the engine: the API and its event stream. */
export interface AppHost {
  api: AppApi;
  /** Every event the engine emits; the host batches them for transport. Returns unsubscribe. */
  onEvent(listener: <E extends AppEventName>(event: E, payload: AppEvents[E]) => void): () => void;
}
