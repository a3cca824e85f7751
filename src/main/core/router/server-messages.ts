import {
  ErrorCode,
  classify,
  errorResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from '../protocol/jsonrpc.js';
import { oversizedResponseId, type OversizedLine } from '../protocol/line-framer.js';
import { RawResponse } from '../protocol/raw-response.js';
import { peekResponse } from '../protocol/response-peek.js';
import { settle } from './pending-requests.js';
import type { RouterContext } from './router-context.js';
import { pickTarget } from './server-request-target.js';
import { filterToolList } from './tool-filter.js';

/**
 * The server → client half of a SessionRouter: the child's responses, notifications and requests, each taken back
 * to the session it concerns (ids and progress tokens restored) or answered here when no session should see it.
 */
export class ServerMessages {
  constructor(private readonly ctx: RouterContext) {}

  private get exclusive(): boolean {
    return this.ctx.options.exclusive !== undefined;
  }

  /** A large line as bytes (SessionRouter.onLargeMessage): false when it is not a response the scan is sure of. */
  onLargeMessage(bytes: Buffer): boolean {
    const peeked = peekResponse(bytes);
    if (!peeked) return false;
    this.response(new RawResponse(bytes, peeked));
    return true;
  }

  onMessage(line: string): void {
    let msg: JsonRpcMessage;
    try {
      msg = JSON.parse(line);
    } catch {
      this.ctx.logger.warn('protocol violation: dropped a non-JSON line on stdout', {
        server: this.ctx.name,
        line: line.slice(0, 200),
      });
      return;
    }
    switch (classify(msg)) {
      case 'response':
        return this.response(msg, line);
      case 'notification':
        return this.notification(msg, line);
      case 'request':
        return this.request(msg as JsonRpcRequest, line);
      default:
        this.ctx.logger.warn('protocol violation: dropped a line that is not JSON-RPC 2.0', {
          server: this.ctx.name,
          line: line.slice(0, 200),
        });
    }
  }

  onOversized(info: OversizedLine): void {
    this.ctx.logger.warn(`dropped a ${info.size}-byte message over the size cap`, { server: this.ctx.name });
    const id = oversizedResponseId(info);
    const why = `the server's answer was ${info.size} bytes, over the message size cap`;
    if (id !== null) this.response(errorResponse(id, ErrorCode.MessageTooLarge, why));
  }

  private response(response: JsonRpcMessage, line?: string): void {
    const { options, shared } = this.ctx;
    const entry = this.ctx.pending.take(response.id as number);
    if (!entry) return; // cancelled or timed out: a late answer goes nowhere
    const raw = response instanceof RawResponse ? response : null;
    if (raw || line !== undefined) {
      const extra = {
        method: entry.method,
        clientId: entry.clientId,
        isError: raw ? raw.isError : response.error !== undefined,
        latencyMs: performance.now() - entry.sentAt,
      };
      if (raw) this.ctx.tap.downRaw(raw, entry.session, extra);
      else this.ctx.tap.down(line!, 'response', entry.session, extra);
    }
    const filterTools = entry.method === 'tools/list' && options.toolFilter;
    // Forwarded as text only to a transport, and only when nothing below changes the message.
    const keepRaw = raw && entry.session?.acceptsRawJson && !filterTools && entry.method !== 'tasks/list';
    const msg = raw && !keepRaw ? raw.materialize() : response;
    if (filterTools) filterToolList(msg, options.toolFilter!);
    const hasResult = raw ? !raw.isError : msg.result !== undefined;
    // A result that names no task id has no task to note or filter: a raw one is not parsed to find that out (a \u
    // escape could spell the key, so one of those is parsed).
    const mayNameTask = !raw || raw.mentions('"taskId"') || raw.mentions('\\u');
    if (entry.session && !this.exclusive && hasResult && mayNameTask) {
      if (entry.method === 'tasks/list') shared.filterTaskList(entry.session, msg);
      else shared.noteTask(entry.session, msg);
    }
    settle(entry, msg);
  }

  private notification(msg: JsonRpcMessage, line: string): void {
    const { options, sessions, shared } = this.ctx;
    const params = msg.params ?? {};
    const owner =
      msg.method === 'notifications/progress' ? this.ctx.pending.get(params.progressToken as number) : undefined;
    this.ctx.tap.down(line, 'notification', owner?.session ?? null, { method: msg.method, clientId: owner?.clientId });
    switch (msg.method) {
      case 'notifications/progress': {
        const entry = owner;
        if (!entry?.session || entry.clientProgressToken === undefined) return;
        entry.deadline = Math.min(Date.now() + options.requestTimeoutMs, entry.startedAt + options.maxRequestTimeoutMs);
        params.progressToken = entry.clientProgressToken;
        return entry.session.deliver(msg, entry.clientId);
      }
      case 'notifications/cancelled':
        return this.ctx.serverRequests.withdraw(params.requestId as JsonRpcId)?.deliver(msg);
      case 'notifications/resources/updated':
        for (const s of sessions) if (s.subscriptions.has(params.uri as string)) s.deliver(msg);
        return;
      case 'notifications/message':
        for (const s of sessions) if (this.exclusive || shared.wantsLog(s, params.level)) s.deliver(msg);
        return;
      case 'notifications/tasks/status':
        if (!this.exclusive) return void shared.relatedTaskOwner(msg)?.deliver(msg);
        for (const s of sessions) s.deliver(msg);
        return;
      default:
        // list_changed and the like concern every session.
        for (const s of sessions) s.deliver(msg);
    }
  }

  private request(msg: JsonRpcRequest, line: string): void {
    const { options, tap } = this.ctx;
    if (msg.method === 'ping') {
      tap.down(line, 'request', null, { method: msg.method, clientId: msg.id });
      return void this.ctx.sendUp({ jsonrpc: '2.0', id: msg.id, result: {} });
    }
    if (msg.method === 'roots/list' && !this.exclusive) {
      // A shared child was offered Switchboard's roots (configured on the server), never one client's.
      tap.down(line, 'request', null, { method: msg.method, clientId: msg.id });
      if (options.roots.length === 0) {
        const why = 'Switchboard offered this shared server no roots (configure roots on the server)';
        return void this.ctx.sendUp(errorResponse(msg.id, ErrorCode.MethodNotFound, why));
      }
      return void this.ctx.sendUp({ jsonrpc: '2.0', id: msg.id, result: { roots: options.roots } });
    }
    if (!this.exclusive) options.onServerRequest?.(msg.method);
    const decision = pickTarget(msg, {
      sessions: this.ctx.sessions,
      taskOwner: this.exclusive ? undefined : this.ctx.shared.relatedTaskOwner(msg),
      internalInFlight: this.ctx.pending.internalCount(),
      exclusive: this.exclusive,
    });
    const target = decision.ok ? decision.target : null;
    tap.down(line, 'request', target?.session ?? null, { method: msg.method, clientId: msg.id });
    if (!decision.ok) {
      this.ctx.logger.info(`refused a server→client request: ${decision.why}`, {
        server: this.ctx.name,
        method: msg.method,
      });
      const code = decision.ambiguous ? ErrorCode.InternalError : ErrorCode.MethodNotFound;
      return void this.ctx.sendUp(errorResponse(msg.id, code, decision.why));
    }
    this.ctx.serverRequests.track(msg.id, target!.session, Date.now() + options.serverRequestTimeoutMs);
    target!.session.deliver(msg, target!.relatedTo);
  }
}
