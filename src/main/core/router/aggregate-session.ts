import { ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { latestProtocolVersion } from '../protocol/versions.js';
import type { Logger } from '../util/logger.js';
import type { AggregateMember } from './aggregate-source.js';
import { RawResponse } from '../protocol/raw-response.js';
import { namespaceResult, namespaceUri } from './aggregate-uris.js';
import type { ClientRouter } from './client-router.js';
import type { DownstreamSession, LogLevel } from './session.js';

/** The id of the `initialize` a link sends to join a server; answered from the router's cache and swallowed. */
const JOIN_ID = 'switchboard:join';

/**
 * Whether a large answer can go to the client as the server's bytes: nothing below would change it. A task id
 * (noted for tasks/get) or a resource URI to namespace needs the parsed message; so does any \u escape, which could
 * spell either key. The tests are substring searches, so a false "maybe" only costs the parse.
 */
function passesAsBytes(raw: RawResponse, namespace: boolean): boolean {
  if (raw.mentions('\\u') || raw.mentions('"taskId"')) return false;
  return raw.isError || !namespace || !raw.mentions('"uri"');
}

/**
 * One aggregate client's session on one server. It is a DownstreamSession of that server's router, so the
 * router's own machinery (id and progress-token rewriting, cancellation, timeouts, per-session log levels,
 * subscriptions and tasks, routing of server→client requests) serves the aggregate unchanged; the link only
 * translates names, URIs and server→client request ids on the way back.
 */
export class ServerLink implements DownstreamSession {
  readonly id: string;
  readonly transport: DownstreamSession['transport'];
  readonly inflight = new Map<JsonRpcId, number>();
  readonly subscriptions = new Set<string>();
  clientInfo?: DownstreamSession['clientInfo'];
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;
  logLevel?: LogLevel;
  /** Client requests sent here and not yet answered; true when the answer carries resource URIs to namespace. */
  readonly open = new Map<JsonRpcId, boolean>();
  /** The server refused the join (a per-session server at its limit): the next use tries again. */
  joinFailed = false;
  /** Switchboard's own requests through this link (a log level passed on): their answers are not the client's. */
  readonly own = new Map<JsonRpcId, (msg: JsonRpcMessage) => void>();

  constructor(
    readonly server: string,
    readonly router: ClientRouter,
    private readonly owner: AggregateSession,
  ) {
    const client = owner.client;
    this.id = `${client.id}/${server}`;
    this.transport = client.transport;
    // The router records the client's capabilities from this, so it can send this link sampling and roots.
    router.fromClient(this, {
      jsonrpc: '2.0',
      id: JOIN_ID,
      method: 'initialize',
      params: {
        protocolVersion: client.protocolVersion ?? latestProtocolVersion,
        capabilities: client.clientCapabilities ?? {},
        clientInfo: client.clientInfo ?? { name: 'aggregate-client' },
      },
    });
  }

  /** A large answer may come as the server's bytes when the client can take them (see AggregateSession.fromServer). */
  get acceptsRawJson(): boolean {
    return this.owner.client.acceptsRawJson === true;
  }

  deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    this.owner.fromServer(this, msg, relatedTo);
  }

  canReceive(relatedTo?: JsonRpcId): boolean {
    return this.owner.client.canReceive(relatedTo);
  }

  release(clientId: JsonRpcId, reason: string): void {
    this.owner.client.release(clientId, reason);
  }

  /** A per-session server needs this link's child for another client: leave it; the next use joins again. */
  evict(reason: string): boolean {
    if (this.open.size > 0 || this.own.size > 0) return false;
    this.owner.leave(this.server, reason);
    return true;
  }
}

/** An aggregate client session: its links to the servers it has used, its tasks and server→client requests. */
export class AggregateSession {
  readonly links = new Map<string, ServerLink>();
  /** Server→client requests by the id the client saw (unique across servers) → the link and the child's id. */
  private readonly serverRequests = new Map<string, { link: ServerLink; id: JsonRpcId }>();
  /** Tasks this client created, by task id → the server that runs it. */
  private readonly tasks = new Map<string, string>();
  private nextServerRequest = 1;
  private nextOwn = 1;
  /** The level the client chose; passed on to every server it uses, as each link's own. */
  private logLevel: LogLevel | null = null;

  constructor(
    readonly client: DownstreamSession,
    private readonly logger: Logger,
  ) {}

  /** Sends a client request to `member`, joining it on first use; names and URIs are already the server's. */
  forward(member: AggregateMember, msg: JsonRpcMessage & { id: JsonRpcId }, namespaceAnswer: boolean): void {
    const link = this.join(member);
    link.open.set(msg.id, namespaceAnswer);
    link.router.fromClient(link, msg);
  }

  /** The link to `member`, joining it (and passing on the client's log level) on first use. */
  private join(member: AggregateMember): ServerLink {
    let link = this.links.get(member.name);
    if (link && link.router !== member.router) this.leave(member.name, 'the server was replaced');
    else if (link?.joinFailed) this.leave(member.name, 'joining again');
    link = this.links.get(member.name);
    if (!link) {
      link = new ServerLink(member.name, member.router, this);
      this.links.set(member.name, link);
      if (this.logLevel) void this.own(link, 'logging/setLevel', { level: this.logLevel });
    }
    return link;
  }

  /** The server running task `taskId`, if this client created it. */
  taskServer(taskId: unknown): string | undefined {
    return typeof taskId === 'string' ? this.tasks.get(taskId) : undefined;
  }

  /** Chooses the client's log level on every server it uses now, and on those it joins later. */
  async setLogLevel(level: LogLevel): Promise<void> {
    this.logLevel = level;
    await Promise.allSettled([...this.links.values()].map((l) => this.own(l, 'logging/setLevel', { level })));
  }

  /** `tasks/list` across the servers this client has tasks on. */
  async listTasks(members: (name: string) => AggregateMember | undefined): Promise<unknown[]> {
    const servers = new Set(this.tasks.values());
    const answers = await Promise.allSettled(
      [...servers].flatMap((name) => {
        const member = members(name);
        return member ? [this.own(this.join(member), 'tasks/list', {})] : [];
      }),
    );
    return answers.flatMap((a) => {
      const tasks = a.status === 'fulfilled' ? (a.value.result as { tasks?: unknown[] } | undefined)?.tasks : [];
      return Array.isArray(tasks) ? tasks : [];
    });
  }

  /** A request of the aggregate's own through a link (the router treats it as this client's). */
  private own(link: ServerLink, method: string, params: Record<string, unknown>): Promise<JsonRpcMessage> {
    const id = `switchboard:own-${this.nextOwn++}`;
    return new Promise((resolve) => {
      link.own.set(id, resolve);
      link.router.fromClient(link, { jsonrpc: '2.0', id, method, params });
    });
  }

  fromServer(link: ServerLink, msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    if (this.links.get(link.server) !== link) return; // a link that left: late messages go nowhere
    if (msg.method === undefined) {
      if (msg.id === JOIN_ID) {
        if (!msg.error) return;
        this.logger.warn('could not join a server', { server: link.server, error: msg.error.message });
        link.joinFailed = true;
        return;
      }
      const waiter = link.own.get(msg.id!);
      if (waiter) {
        link.own.delete(msg.id!);
        return waiter(msg);
      }
      const namespace = link.open.get(msg.id!);
      link.open.delete(msg.id!);
      if (msg instanceof RawResponse && !passesAsBytes(msg, namespace === true)) msg = msg.materialize();
      if (!(msg instanceof RawResponse)) {
        const task = (msg.result as { task?: { taskId?: unknown } } | undefined)?.task;
        if (task && typeof task.taskId === 'string') this.tasks.set(task.taskId, link.server);
        if (namespace && msg.result !== undefined) msg.result = namespaceResult(link.server, msg.result);
      }
      return this.client.deliver(msg, relatedTo);
    }
    if (msg.id !== undefined && msg.id !== null) {
      // Two children may both number their requests 0, 1, …: the client sees ids unique to this session.
      const id = `sb-${this.nextServerRequest++}`;
      this.serverRequests.set(id, { link, id: msg.id });
      return this.client.deliver({ ...msg, id }, relatedTo);
    }
    const params = msg.params ?? {};
    switch (msg.method) {
      case 'notifications/tools/list_changed':
      case 'notifications/prompts/list_changed':
      case 'notifications/resources/list_changed':
        return; // the catalogue lists again and tells every aggregate session once
      case 'notifications/cancelled': {
        for (const [id, r] of this.serverRequests) {
          if (r.link !== link || r.id !== params.requestId) continue;
          this.serverRequests.delete(id);
          return this.client.deliver({ ...msg, params: { ...params, requestId: id } });
        }
        return;
      }
      case 'notifications/resources/updated':
        return this.client.deliver({
          ...msg,
          params: { ...params, uri: namespaceUri(link.server, String(params.uri)) },
        });
      case 'notifications/message':
        // The router hands every session the same object: copy before saying which server logged it.
        return this.client.deliver({ ...msg, params: { ...params, logger: params.logger ?? link.server } });
      default:
        return this.client.deliver(msg, relatedTo);
    }
  }

  /** The client answered a server→client request. */
  clientResponse(msg: JsonRpcMessage): void {
    const entry = this.serverRequests.get(String(msg.id));
    if (!entry) return this.logger.debug('dropped a response to no request', { session: this.client.id });
    this.serverRequests.delete(String(msg.id));
    entry.link.router.fromClient(entry.link, { ...msg, id: entry.id });
  }

  /** The client cancelled one of its requests: the link that carries it passes it to its router. */
  cancel(msg: JsonRpcMessage): void {
    const requestId = msg.params?.requestId as JsonRpcId;
    for (const link of this.links.values()) {
      if (!link.open.delete(requestId)) continue;
      return link.router.fromClient(link, msg);
    }
  }

  /** A notification for every server this session uses (roots/list_changed). */
  broadcast(msg: JsonRpcMessage): void {
    for (const link of this.links.values()) link.router.fromClient(link, { ...msg });
  }

  /** The server left the aggregate: its unanswered requests get an error now, and the router lets go. */
  leave(server: string, reason: string): void {
    const link = this.links.get(server);
    if (!link) return;
    this.links.delete(server);
    for (const id of link.open.keys()) {
      const why = `server "${server}" left the aggregate: ${reason}`;
      this.client.deliver(errorResponse(id, ErrorCode.ServerUnavailable, why), id);
    }
    for (const waiter of link.own.values()) waiter(errorResponse(null, ErrorCode.ServerUnavailable, reason));
    for (const [id, r] of this.serverRequests) if (r.link === link) this.serverRequests.delete(id);
    for (const [taskId, name] of this.tasks) if (name === server) this.tasks.delete(taskId);
    link.router.detach(link, reason);
  }

  close(reason: string): void {
    for (const link of [...this.links.values()]) {
      this.links.delete(link.server);
      link.router.detach(link, reason);
    }
    this.serverRequests.clear();
  }
}
