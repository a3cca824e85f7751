import {
  AppError,
  appMethods,
  type AppApi,
  type AppBridge,
  type AppEventName,
  type AppMethod,
  type AppReply,
} from '../../../shared/app-api.js';
import { isAppErrorKind } from '../../../shared/app-transport.js';
import { AppEventListeners } from '../../../shared/event-listeners.js';

/** The part of EventSource the client uses. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

/** What the web client needs from the page; tests pass their own. */
export interface WebClientDeps {
  fetch?: typeof fetch;
  EventSource?: new (url: string) => EventSourceLike;
}

/**
 * The AppApi over the headless host's web bridge: each method is `POST /api/invoke/<method>` with the arguments
 * as a JSON array (the session cookie goes along), and events come from one shared `EventSource('/api/events')`
 * that is open only while someone listens. A failed call throws `AppError(kind, message)`.
 */
export function createWebClient(base = '', deps: WebClientDeps = {}): AppBridge {
  const doFetch = deps.fetch ?? ((input, init) => fetch(input, init));

  async function call(method: AppMethod, args: unknown[]): Promise<unknown> {
    // A trailing `undefined` (an optional argument left out) would become `null` in JSON; leave it out instead.
    let end = args.length;
    while (end > 0 && args[end - 1] === undefined) end--;
    let response: Response;
    try {
      response = await doFetch(`${base}/api/invoke/${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args.slice(0, end)),
      });
    } catch {
      throw new AppError('unavailable', 'Switchboard is not reachable; is `switchboard serve` still running?');
    }
    const reply = await readReply(response);
    if (reply.ok) return reply.value;
    throw new AppError(reply.kind, reply.message);
  }

  const methods = Object.fromEntries(
    appMethods.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as AppApi;

  let source: EventSourceLike | null = null;
  const listeners = new AppEventListeners({
    // Looked up on first use, so the client can be built where EventSource does not exist (tests, old runtimes).
    onActive: () => (source = new (deps.EventSource ?? globalThis.EventSource)(`${base}/api/events`)),
    onEventAdded: (event) => source?.addEventListener(event, (message) => dispatch(event, message)),
    onIdle: () => {
      source?.close();
      source = null;
    },
  });

  function dispatch(event: AppEventName, message: MessageEvent<string>): void {
    let payload: unknown;
    try {
      payload = JSON.parse(message.data);
    } catch {
      return console.error(`Switchboard: an unreadable "${event}" event was ignored`);
    }
    listeners.emit(event, payload);
  }
  const on: AppBridge['on'] = (event, listener) => listeners.on(event, listener);

  return { ...methods, on } satisfies AppBridge;
}

/** The body of any bridge answer is an AppReply; anything else (a proxy's error page) is said in words. */
async function readReply(response: Response): Promise<AppReply> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const reply = body as Partial<AppReply> | undefined;
  if (reply && reply.ok === true) return reply as AppReply;
  if (reply && reply.ok === false && isAppErrorKind(reply.kind) && typeof reply.message === 'string') {
    return reply as AppReply;
  }
  // The gateway's own refusals (a foreign Origin, load shedding) are JSON-RPC errors, not AppReplies.
  const text = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  const message = typeof text === 'string' ? text : `Switchboard answered HTTP ${response.status}.`;
  const kind = response.status === 401 || response.status === 403 ? 'forbidden' : 'unavailable';
  return { ok: false, kind, message };
}
