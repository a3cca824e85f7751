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
  /** Timers for the reconnect backoff (tests pass fake ones). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** 0..1, for the backoff's jitter. */
  random?: () => number;
}

/** 1 s doubling to 30 s, ±20 %: a host that restarts is found soon, one that is gone is not hammered. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
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

  // The stream is ours to reopen: the browser's own EventSource retry has no backoff and says nothing to the
  // page, so on an error the source is closed, the page told (`connection: lost`), and a new one opened later.
  let source: EventSourceLike | null = null;
  const events = new Set<AppEventName>();
  let attempt = 0;
  let lost = false;
  let retry: unknown = null;
  const setTimer = deps.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));
  const clearTimer = deps.clearTimeout ?? ((h: unknown) => globalThis.clearTimeout(h as number));

  function open(): void {
    // Looked up on first use, so the client can be built where EventSource does not exist (tests, old runtimes).
    const opened = new (deps.EventSource ?? globalThis.EventSource)(`${base}/api/events`);
    source = opened;
    for (const event of events) listen(opened, event);
    opened.addEventListener('open', () => {
      if (source !== opened) return;
      attempt = 0;
      if (lost) {
        lost = false;
        listeners.emit('connection', { state: 'online' });
      }
    });
    opened.addEventListener('error', () => {
      if (source !== opened) return;
      opened.close();
      source = null;
      attempt++;
      lost = true;
      const retryInMs = reconnectDelay(attempt, deps.random);
      listeners.emit('connection', { state: 'lost', attempt, retryInMs });
      retry = setTimer(() => {
        retry = null;
        if (events.size > 0) open();
      }, retryInMs);
    });
  }

  function listen(target: EventSourceLike, event: AppEventName): void {
    if (event !== 'connection') target.addEventListener(event, (message) => dispatch(event, message));
  }

  const listeners = new AppEventListeners({
    onActive: () => open(),
    onEventAdded: (event) => {
      events.add(event);
      if (source) listen(source, event);
    },
    onIdle: () => {
      source?.close();
      source = null;
      events.clear();
      if (retry !== null) clearTimer(retry);
      retry = null;
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
