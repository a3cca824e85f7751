import {
  ErrorCode,
  classify,
  errorResponse,
  resultResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from '../protocol/jsonrpc.js';
import { negotiateProtocolVersion } from '../protocol/versions.js';
import type { Logger } from '../util/logger.js';
import { AggregateCatalog, type Target } from './aggregate-catalog.js';
import { AggregateSession } from './aggregate-session.js';
import type { AggregateSource } from './aggregate-source.js';
import type { ClientRouter } from './client-router.js';
import type { DownstreamSession } from './session.js';
import { isLogLevel } from './shared-state.js';

export interface AggregateOptions {
  /**
   * How long a list request waits for servers still starting and lists still loading: longer than the default
   * handshake timeout (10 s), so during startup a list holds every server that starts normally. One still
   * installing is not waited for; its list_changed comes later.
   */
  listWaitMs: number;
  /** Timeout of each list request to a server. */
  listTimeoutMs: number;
  serverInfo: { name: string; version: string };
}

export const defaultAggregateOptions: AggregateOptions = {
  listWaitMs: 12_000,
  listTimeoutMs: 10_000,
  serverInfo: { name: 'mcp-switchboard', version: '0.1.0' },
};

const INSTRUCTIONS =
  'Switchboard serves the tools, prompts and resources of several MCP servers here. A tool or prompt name that ' +
  'two servers share is prefixed with its server, as <server>__<name>; resource URIs read ' +
  'switchboard://<server>/<the server’s own URI>.';

/**
 * One MCP server made of all running, enabled servers: the endpoint behind `/mcp`, `/sse` and `/ws` when several
 * servers are served. It answers `initialize` and the list methods itself (from the catalogue) and routes every
 * other request to the owning server through a per-server link session (see ServerLink), so the per-server
 * routers do the id, progress, cancellation and server→client routing exactly as for a direct client.
 */
export class AggregateRouter implements Pick<ClientRouter, 'fromClient' | 'detach'> {
  readonly catalog: AggregateCatalog;
  private readonly sessions = new Map<DownstreamSession, AggregateSession>();
  private offs: Array<() => void> = [];
  private active = false;
  private readonly options: AggregateOptions;

  constructor(
    private readonly source: AggregateSource,
    private readonly logger: Logger,
    options: Partial<AggregateOptions> = {},
  ) {
    this.options = { ...defaultAggregateOptions, ...options };
    this.catalog = new AggregateCatalog(source, logger, this.options.listTimeoutMs);
  }

  /**
   * Starts watching and listing on the first aggregate client: until someone uses `/mcp`, the aggregate sends
   * no request to any server (and starts no child of a per-session server).
   */
  private activate(): void {
    if (this.active) return;
    this.active = true;
    this.offs = [
      this.catalog.changed.on((kind) => this.notifyAll(`notifications/${kind}/list_changed`)),
      this.catalog.membersChanged.on(() => this.leaveGoneServers()),
      this.source.onChange(() => this.catalog.sync()),
    ];
    this.catalog.sync();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  fromClient(client: DownstreamSession, msg: JsonRpcMessage): void {
    this.activate();
    let session = this.sessions.get(client);
    if (!session) {
      session = new AggregateSession(client, this.logger);
      this.sessions.set(client, session);
    }
    const kind = classify(msg);
    if (kind === 'request') {
      this.request(session, msg as JsonRpcRequest).catch((err: Error) => {
        this.logger.error(`aggregate request failed: ${err.stack ?? err}`);
        client.deliver(errorResponse(msg.id!, ErrorCode.InternalError, err.message), msg.id!);
      });
    } else if (kind === 'response') session.clientResponse(msg);
    else if (msg.method === 'notifications/cancelled') session.cancel(msg);
    else if (msg.method === 'notifications/roots/list_changed') session.broadcast(msg);
  }

  detach(client: DownstreamSession, reason = 'client disconnected'): void {
    const session = this.sessions.get(client);
    if (!session) return;
    this.sessions.delete(client);
    session.close(reason);
  }

  dispose(): void {
    for (const off of this.offs) off();
    for (const client of [...this.sessions.keys()]) this.detach(client, 'gateway shutting down');
    this.catalog.dispose();
  }

  private async request(session: AggregateSession, msg: JsonRpcRequest): Promise<void> {
    const { client } = session;
    const params = msg.params ?? {};
    const answer = (result: unknown) => client.deliver(resultResponse(msg.id, result), msg.id);
    const fail = (message: string, code: number = ErrorCode.InvalidParams) =>
      client.deliver(errorResponse(msg.id, code, message), msg.id);
    const lists = () => this.catalog.ready(this.options.listWaitMs);
    switch (msg.method) {
      case 'initialize':
        return answer(this.initialize(client, params));
      case 'ping':
        return answer({});
      case 'tools/list':
        return lists().then(() => answer({ tools: this.catalog.toolList }));
      case 'prompts/list':
        return lists().then(() => answer({ prompts: this.catalog.promptList }));
      case 'resources/list':
        return lists().then(() => answer({ resources: this.catalog.resources }));
      case 'resources/templates/list':
        return lists().then(() => answer({ resourceTemplates: this.catalog.templates }));
      case 'tools/call':
      case 'prompts/get': {
        const what = msg.method === 'tools/call' ? 'tool' : 'prompt';
        const find = () =>
          what === 'tool'
            ? this.catalog.resolveTool(String(params.name))
            : this.catalog.resolvePrompt(String(params.name));
        // A client may call a name it knows before the lists have loaded: wait for them once.
        const target = find() ?? (await lists().then(find));
        if (!target) return fail(`Unknown ${what}: ${String(params.name)}`);
        return session.forward(target.member, { ...msg, params: { ...params, name: target.original } }, true);
      }
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const uri = String(params.uri);
        let target = this.catalog.resolveUri(uri);
        if (!target && !uri.startsWith('switchboard://')) {
          // A URI as its server wrote it: fine when exactly one server serves it.
          await lists();
          const owners = this.catalog.ownersOf(uri);
          if (owners.length > 1) {
            const names = owners.map((m) => m.name).join(', ');
            return fail(`Resource ${uri} is served by ${names}: use switchboard://<server>/${uri}`);
          }
          if (owners.length === 1) target = { member: owners[0]!, original: uri };
        }
        if (!target) return fail(`Resource not found: ${uri}`, ErrorCode.ResourceNotFound);
        const namespaceAnswer = msg.method === 'resources/read';
        return session.forward(target.member, { ...msg, params: { ...params, uri: target.original } }, namespaceAnswer);
      }
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel': {
        const member = this.catalog.member(session.taskServer(params.taskId) ?? '');
        if (!member) return fail(`Unknown task: ${String(params.taskId)}`);
        return session.forward(member, msg, msg.method === 'tasks/result');
      }
      case 'tasks/list':
        return answer({ tasks: await session.listTasks((name) => this.catalog.member(name)) });
      case 'completion/complete': {
        const ref = (params.ref ?? {}) as { type?: string; name?: string; uri?: string };
        const find = (): Target | undefined =>
          ref.type === 'ref/prompt'
            ? this.catalog.resolvePrompt(String(ref.name))
            : this.catalog.resolveUri(String(ref.uri));
        // As for calls: a reference the client knows before the lists have loaded waits for them once.
        const target = find() ?? (await lists().then(find));
        if (!target) return fail(`Unknown completion reference ${JSON.stringify(ref)}`);
        const mapped = ref.type === 'ref/prompt' ? { ...ref, name: target.original } : { ...ref, uri: target.original };
        return session.forward(target.member, { ...msg, params: { ...params, ref: mapped } }, false);
      }
      case 'logging/setLevel': {
        // Each server keeps this client's level as its own, apart from every other client's.
        if (!isLogLevel(params.level)) return fail(`Invalid log level: ${JSON.stringify(params.level)}`);
        await session.setLogLevel(params.level);
        return answer({});
      }
      default:
        return fail(`Method not found: ${msg.method}`, ErrorCode.MethodNotFound);
    }
  }

  private initialize(client: DownstreamSession, params: Record<string, unknown>) {
    client.clientCapabilities = (params.capabilities as Record<string, unknown>) ?? {};
    client.clientInfo = params.clientInfo as DownstreamSession['clientInfo'];
    client.protocolVersion = negotiateProtocolVersion(params.protocolVersion);
    return {
      protocolVersion: client.protocolVersion,
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        completions: {},
        logging: {},
        ...this.mergedTasks(),
      },
      serverInfo: this.options.serverInfo,
      instructions: INSTRUCTIONS,
    };
  }

  /** The `tasks` capability of the servers, merged: a client sees tasks when any server runs them. */
  private mergedTasks(): { tasks?: Record<string, unknown> } {
    const merged: Record<string, unknown> = {};
    let any = false;
    for (const member of this.catalog.members()) {
      const tasks = (member.router.serverInitialize?.capabilities as { tasks?: unknown } | undefined)?.tasks;
      if (!tasks || typeof tasks !== 'object') continue;
      any = true;
      mergeDeep(merged, tasks as Record<string, unknown>);
    }
    return any ? { tasks: merged } : {};
  }

  /** Sessions let go of servers that stopped, were removed or replaced; their open requests fail at once. */
  private leaveGoneServers(): void {
    for (const session of this.sessions.values()) {
      for (const [name, link] of session.links) {
        if (this.catalog.member(name)?.router !== link.router) session.leave(name, 'the server stopped');
      }
    }
  }

  private notifyAll(method: string): void {
    for (const session of this.sessions.values()) {
      if (session.client.protocolVersion) session.client.deliver({ jsonrpc: '2.0', method });
    }
  }
}

function mergeDeep(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    if (value && typeof value === 'object' && existing && typeof existing === 'object') {
      mergeDeep(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else if (existing === undefined) into[key] = value && typeof value === 'object' ? { ...value } : value;
  }
}
