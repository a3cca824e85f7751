import { ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage } from '../protocol/jsonrpc.js';
import { latestProtocolVersion } from '../protocol/versions.js';
import type { Logger } from '../util/logger.js';
import type { AggregateMember } from './aggregate-source.js';
import { namespaceResult, namespaceUri } from './aggregate-uris.js';
import type { ClientRouter } from './client-router.js';
import type { DownstreamSession } from './session.js';

/** The id of the `initialize` a link sends to join a server; answered from the router's cache and swallowed. */
const JOIN_ID = 'switchboard:join';

/**
 * One aggregate client's session on one server. It is a DownstreamSession of that server's router, so the
 * router's own machinery (id and progress-token rewriting, cancellation, timeouts, routing of sampling,
 * elicitation and roots to the session whose request is in flight) serves the aggregate unchanged; the link only
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
  /** Client requests sent here and not yet answered; true when the answer carries resource URIs to namespace. */
  readonly open = new Map<JsonRpcId, boolean>();

  constructor(
    readonly server: string,
    readonly router: ClientRouter,
    private readonly owner: AggregateSession,
  ) {
    const client = owner.client;
    this.id = `${client.id}/${server}`;
    this.transport = client.transport;
    // The router records the client's capabilities from this, so it can pick this link for sampling and roots.
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

  deliver(msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    this.owner.fromServer(this, msg, relatedTo);
  }
}

/** An aggregate client session: its links to the servers it has used, and its server→client requests. */
export class AggregateSession {
  readonly links = new Map<string, ServerLink>();
  /** Server→client requests by the id the client saw (unique across servers) → the link and the child's id. */
  private readonly serverRequests = new Map<string, { link: ServerLink; id: JsonRpcId }>();
  private nextServerRequest = 1;

  constructor(
    readonly client: DownstreamSession,
    private readonly logger: Logger,
  ) {}

  /** Sends a client request to `member`, joining it on first use; names and URIs are already the server's. */
  forward(member: AggregateMember, msg: JsonRpcMessage & { id: JsonRpcId }, namespaceAnswer: boolean): void {
    let link = this.links.get(member.name);
    if (link && link.router !== member.router) this.leave(member.name, 'the server was replaced');
    link = this.links.get(member.name);
    if (!link) {
      link = new ServerLink(member.name, member.router, this);
      this.links.set(member.name, link);
    }
    link.open.set(msg.id, namespaceAnswer);
    link.router.fromClient(link, msg);
  }

  fromServer(link: ServerLink, msg: JsonRpcMessage, relatedTo?: JsonRpcId): void {
    if (this.links.get(link.server) !== link) return; // a link that left: late messages go nowhere
    if (msg.method === undefined) {
      if (msg.id === JOIN_ID) {
        if (msg.error) this.logger.warn('could not join a server', { server: link.server, error: msg.error.message });
        return;
      }
      const namespace = link.open.get(msg.id!);
      link.open.delete(msg.id!);
      if (namespace && msg.result !== undefined) msg.result = namespaceResult(link.server, msg.result);
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
    for (const [id, r] of this.serverRequests) if (r.link === link) this.serverRequests.delete(id);
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
