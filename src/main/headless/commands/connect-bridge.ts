import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCRequest, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../core/util/logger.js';

/** Where to reach Switchboard; asked again at every (re)connection, since a restarted serve may move or rotate. */
export interface BridgeTarget {
  url: URL;
  token: string | null;
}

export interface BridgeOptions {
  /** The client's side: stdio in `connect`. */
  downstream: Transport;
  resolveTarget(): BridgeTarget;
  logger: Logger;
  /** Backoff between reconnection attempts: first delay and cap. */
  backoff?: { initialMs: number; maxMs: number };
  /** A 401 on a working session means the token changed: reconnect with the target asked again. */
  reconnectOnUnauthorized?: boolean;
  /** Messages held while reconnecting; beyond, requests fail at once. */
  maxQueued?: number;
}

/** Our own ids for the re-initialization, never confused with the client's (which are numbers or its strings). */
const OWN_ID = 'switchboard-connect:';
const REINIT_PREFIX = `${OWN_ID}reinitialize:`;
/** JSON-RPC error code for "Switchboard could not be reached": in the implementation-defined server range. */
export const UNREACHABLE = -32001;

const isRequest = (m: JSONRPCMessage): m is JSONRPCRequest => 'method' in m && 'id' in m;
const isResponse = (m: JSONRPCMessage): m is Extract<JSONRPCMessage, { id: RequestId }> =>
  !('method' in m) && 'id' in m;

/**
 * Forwards raw JSON-RPC messages between a stdio client and Switchboard's Streamable HTTP endpoint, so every
 * message kind (sampling, elicitation, roots, progress, cancellation) passes both ways without being understood
 * here. What the bridge does know: the client's `initialize`, kept so that a new session can be opened the same
 * way after Switchboard restarts, and the client's requests in flight, failed with an error when the session
 * they were sent on is lost.
 */
export class StdioHttpBridge {
  private upstream: StreamableHTTPClientTransport | null = null;
  private generation = 0;
  private initialize: JSONRPCRequest | null = null;
  private initializeResult: Record<string, unknown> | null = null;
  private initialized = false;
  private readonly inFlight = new Set<RequestId>();
  private queue: JSONRPCMessage[] = [];
  private reconnecting = false;
  private pings = 0;
  private closed = false;
  private closedResolve: () => void = () => {};
  /** Resolves once the bridge has closed (the client went away, or close() was called). */
  readonly done = new Promise<void>((resolve) => (this.closedResolve = resolve));

  constructor(private readonly o: BridgeOptions) {}

  async start(): Promise<void> {
    const down = this.o.downstream;
    down.onmessage = (m) => void this.fromClient(m);
    down.onerror = (err) => this.o.logger.warn(`from the client: ${err.message}`);
    down.onclose = () => void this.close();
    await down.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const up = this.upstream;
    this.upstream = null;
    if (up) {
      // Ends the session on Switchboard's side at once, instead of waiting for it to expire.
      await up.terminateSession().catch(() => {});
      await up.close().catch(() => {});
    }
    await this.o.downstream.close().catch(() => {});
    this.closedResolve();
  }

  private async fromClient(message: JSONRPCMessage): Promise<void> {
    if (isRequest(message) && message.method === 'initialize') this.initialize = message;
    if ('method' in message && message.method === 'notifications/initialized') this.initialized = true;
    if ('method' in message && message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (id !== undefined) this.inFlight.delete(id);
    }
    if (this.reconnecting) {
      if (this.queue.length < (this.o.maxQueued ?? 100)) this.queue.push(message);
      else this.failRequest(message, 'Switchboard is unreachable and too many messages are waiting');
      return;
    }
    await this.forward(message);
  }

  private async forward(message: JSONRPCMessage): Promise<void> {
    let up: StreamableHTTPClientTransport;
    try {
      up = this.upstream ?? this.connectTransport();
    } catch (err) {
      return this.failRequest(message, `Switchboard: ${describe(err)}`); // e.g. no endpoint recorded yet
    }
    const generation = this.generation;
    if (isRequest(message)) this.inFlight.add(message.id);
    try {
      await up.send(message);
    } catch (err) {
      const reason = describe(err);
      this.failRequest(message, `Switchboard: ${reason}`);
      if (isRequest(message)) this.inFlight.delete(message.id);
      if (this.sessionLost(err)) this.lost(generation, reason);
    }
  }

  /** Connection refused or reset, or Switchboard no longer knows the session: a new session is needed. */
  private sessionLost(err: unknown): boolean {
    if (err instanceof StreamableHTTPError) {
      return err.code === 404 || (err.code === 401 && this.o.reconnectOnUnauthorized === true);
    }
    return err instanceof TypeError || /fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(String(err));
  }

  private fromSwitchboard(generation: number, message: JSONRPCMessage): void {
    if (generation !== this.generation) return; // a late message of a session already replaced
    if (isResponse(message)) {
      if (typeof message.id === 'string' && message.id.startsWith(OWN_ID)) return; // our ping's answer
      this.inFlight.delete(message.id);
      if (this.initialize && message.id === this.initialize.id && 'result' in message) {
        this.initializeResult = message.result;
        this.adoptProtocolVersion(this.upstream, message.result);
      }
    }
    void this.o.downstream.send(message).catch((err: Error) => this.o.logger.warn(`to the client: ${err.message}`));
  }

  private connectTransport(): StreamableHTTPClientTransport {
    const target = this.o.resolveTarget();
    const headers: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
    const transport = new StreamableHTTPClientTransport(target.url, {
      requestInit: { headers },
      // The SDK's own stream retries would re-open a session that no longer exists; reconnection is ours.
      reconnectionOptions: {
        initialReconnectionDelay: 500,
        maxReconnectionDelay: 2000,
        reconnectionDelayGrowFactor: 2,
        maxRetries: 1,
      },
    });
    const generation = ++this.generation;
    transport.onmessage = (m) => this.fromSwitchboard(generation, m);
    transport.onerror = (err) => {
      if (generation !== this.generation || this.closed) return;
      this.o.logger.debug(`Switchboard transport: ${err.message}`);
      // Send failures are handled where they are awaited. A broken event stream is seen only here, and it may
      // be one request's stream or Switchboard going away: a ping on the session tells which.
      if (/SSE stream|Failed to reconnect|Maximum reconnection/i.test(err.message)) void this.probe(generation);
    };
    void transport.start();
    this.upstream = transport;
    return transport;
  }

  private async probe(generation: number): Promise<void> {
    const up = this.upstream;
    if (!up || generation !== this.generation || this.reconnecting) return;
    try {
      await up.send({ jsonrpc: '2.0', id: `${OWN_ID}ping:${++this.pings}`, method: 'ping' });
    } catch (err) {
      if (this.sessionLost(err)) this.lost(generation, describe(err));
    }
  }

  /** The session is gone: fail what was in flight on it, then open a new one like the client's first. */
  private lost(generation: number, reason: string): void {
    if (generation !== this.generation || this.reconnecting || this.closed) return;
    this.o.logger.warn(`lost the session with Switchboard (${reason}); reconnecting`);
    for (const id of this.inFlight)
      this.sendError(id, `Switchboard connection lost (${reason}); the request was not completed`);
    this.inFlight.clear();
    const old = this.upstream;
    this.upstream = null;
    void old?.close().catch(() => {});
    // Before the client's initialize has succeeded there is nothing to restore: its next message opens a session.
    if (!this.initialize || !this.initializeResult) return;
    this.reconnecting = true;
    void this.reconnectLoop();
  }

  private async reconnectLoop(): Promise<void> {
    const { initialMs, maxMs } = this.o.backoff ?? { initialMs: 250, maxMs: 5000 };
    let delay = initialMs;
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.reinitialize();
        this.o.logger.info(`reconnected to Switchboard (attempt ${attempt})`);
        break;
      } catch (err) {
        this.o.logger.debug(`reconnection attempt ${attempt} failed: ${describe(err)}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(maxMs, delay * 2);
      }
    }
    this.reconnecting = false;
    const waiting = this.queue;
    this.queue = [];
    for (const m of waiting) await this.forward(m);
  }

  /** A new session opened with the client's own initialize; its answer is ours, the client already has one. */
  private async reinitialize(): Promise<void> {
    const transport = this.connectTransport();
    const generation = this.generation;
    const id = `${REINIT_PREFIX}${generation}`;
    const answer = new Promise<JSONRPCMessage>((resolve, reject) => {
      transport.onmessage = (m) => {
        if (isResponse(m) && m.id === id) resolve(m);
        else this.fromSwitchboard(generation, m);
      };
      transport.onclose = () => reject(new Error('closed during initialize'));
    });
    answer.catch(() => {}); // when the send fails first, nobody awaits the answer

    try {
      await transport.send({ ...this.initialize!, id });
      const response = await withTimeout(answer, 15_000, 'the initialize answer');
      if (!('result' in response)) throw new Error(`initialize refused: ${JSON.stringify(response)}`);
      this.adoptProtocolVersion(transport, response.result);
      transport.onmessage = (m) => this.fromSwitchboard(generation, m);
      if (this.initialized) await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    } catch (err) {
      if (this.upstream === transport) this.upstream = null;
      await transport.close().catch(() => {});
      throw err;
    }
    this.tellListsMayHaveChanged();
  }

  /** The servers behind Switchboard may differ after a restart; a client that listens re-reads its lists. */
  private tellListsMayHaveChanged(): void {
    const caps = (this.initializeResult?.capabilities ?? {}) as Record<string, { listChanged?: boolean } | undefined>;
    for (const kind of ['tools', 'prompts', 'resources'] as const) {
      if (caps[kind]?.listChanged) {
        void this.o.downstream.send({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` }).catch(() => {});
      }
    }
  }

  private adoptProtocolVersion(transport: StreamableHTTPClientTransport | null, result: unknown): void {
    const version = (result as { protocolVersion?: unknown }).protocolVersion;
    if (transport && typeof version === 'string') transport.setProtocolVersion(version);
  }

  private failRequest(message: JSONRPCMessage, text: string): void {
    if (isRequest(message)) this.sendError(message.id, text);
    else this.o.logger.warn(`${'method' in message ? message.method : 'a response'} not delivered: ${text}`);
  }

  private sendError(id: RequestId, text: string): void {
    void this.o.downstream.send({ jsonrpc: '2.0', id, error: { code: UNREACHABLE, message: text } }).catch(() => {});
  }
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : (e.message ?? String(err));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
