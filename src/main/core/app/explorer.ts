import type {
  ExplorerAnswer,
  ExplorerEvent,
  ExplorerServerInfo,
  PromptInfo,
  ResourceInfo,
  ResourceTemplateInfo,
  ToolCallResult,
  ToolInfo,
} from '../../../shared/app-api.js';
import { ErrorCode } from '../protocol/jsonrpc.js';
import type { ClientRouter } from '../router/client-router.js';
import { Listeners } from '../util/listeners.js';
import { appError } from './app-error.js';
import { ExplorerCallError, ExplorerSession, type ExplorerRoot } from './explorer-session.js';

/** Lists follow `nextCursor` to the end, with a page limit against a server that never stops paging. */
const MAX_PAGES = 50;

export interface ExplorerOptions {
  /** The server's current router and configured roots; throws not_found for an unknown server. */
  lookup(server: string): { router: ClientRouter; roots: ExplorerRoot[] };
  /** A session unused this long leaves its server (the page may have gone without saying so). */
  idleMs?: number;
}

/**
 * The dashboard's explorer: one client session per server it is open on (see ExplorerSession), so trying a tool
 * by hand goes through the same router as any client, and sampling, elicitation and progress reach the page.
 */
export class Explorer {
  readonly events = new Listeners<ExplorerEvent>();
  private readonly sessions = new Map<string, ExplorerSession>();
  private sequence = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: ExplorerOptions) {
    const idleMs = o.idleMs ?? 10 * 60_000;
    this.timer = setInterval(() => this.closeIdle(idleMs), Math.min(idleMs, 60_000));
    this.timer.unref();
  }

  /** Joins (or re-joins) the server and says what it offers. */
  async open(server: string): Promise<ExplorerServerInfo> {
    const session = this.session(server);
    try {
      return await session.joined;
    } catch (err) {
      this.drop(server, session, 'could not join the server');
      throw toAppError(err, 'initialize');
    }
  }

  listTools = (server: string) => this.listAll<ToolInfo>(server, 'tools/list', 'tools');
  listResources = (server: string) => this.listAll<ResourceInfo>(server, 'resources/list', 'resources');
  listResourceTemplates = (server: string) =>
    this.listAll<ResourceTemplateInfo>(server, 'resources/templates/list', 'resourceTemplates');
  listPrompts = (server: string) => this.listAll<PromptInfo>(server, 'prompts/list', 'prompts');

  async callTool(
    server: string,
    name: string,
    args: Record<string, unknown>,
    callId?: string,
  ): Promise<ToolCallResult> {
    const started = performance.now();
    const result = await this.ask(server, 'tools/call', { name, arguments: args }, callId);
    return {
      content: (result.content as ToolCallResult['content']) ?? [],
      structuredContent: result.structuredContent as ToolCallResult['structuredContent'],
      isError: result.isError === true,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  async readResource(server: string, uri: string) {
    const result = await this.ask(server, 'resources/read', { uri });
    return { contents: (result.contents as Array<Record<string, unknown>>) ?? [] };
  }

  getPrompt(server: string, name: string, args: Record<string, string>) {
    return this.ask(server, 'prompts/get', { name, arguments: args });
  }

  cancel(server: string, callId: string): void {
    if (!this.sessions.get(server)?.cancel(callId)) {
      throw appError('not_found', `no call ${callId} is running on "${server}"`);
    }
  }

  answer(server: string, requestId: string, answer: ExplorerAnswer): void {
    if (!this.sessions.get(server)?.answer(requestId, answer)) {
      throw appError('not_found', `"${server}" has no open request ${requestId} (it may have been withdrawn)`);
    }
  }

  close(server: string): void {
    const session = this.sessions.get(server);
    if (session) this.drop(server, session, 'the explorer was closed');
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const [server, session] of [...this.sessions]) this.drop(server, session, 'Switchboard is shutting down');
    this.events.clear();
  }

  private async ask(server: string, method: string, params: Record<string, unknown>, callId?: string) {
    const session = this.session(server);
    try {
      await session.joined;
      return await session.request(method, params, callId);
    } catch (err) {
      if (session.isClosed || isJoinFailure(err)) this.drop(server, session, 'the server went away');
      throw toAppError(err, method);
    }
  }

  private async listAll<T>(server: string, method: string, key: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.ask(server, method, cursor ? { cursor } : {});
      items.push(...((result[key] as T[] | undefined) ?? []));
      cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
      if (!cursor) break;
    }
    return items;
  }

  /** The server's session, made on first use and again when the server was replaced (edited, re-added). */
  private session(server: string): ExplorerSession {
    const { router } = this.o.lookup(server);
    const existing = this.sessions.get(server);
    if (existing && existing.router === router && !existing.isClosed) return existing;
    if (existing) this.drop(server, existing, 'the server was replaced');
    const session = new ExplorerSession(
      { server, router, roots: () => safeRoots(this.o, server) ?? [], emit: (e) => this.events.emit(e) },
      ++this.sequence,
    );
    this.sessions.set(server, session);
    return session;
  }

  private drop(server: string, session: ExplorerSession, reason: string): void {
    if (this.sessions.get(server) === session) this.sessions.delete(server);
    session.close(reason);
  }

  private closeIdle(idleMs: number): void {
    const now = Date.now();
    for (const [server, session] of [...this.sessions]) {
      if (now - session.lastUsed >= idleMs && session.inflight.size === 0) this.drop(server, session, 'idle');
    }
  }
}

/** The roots as configured now (a definition edited without a restart keeps the same router). */
function safeRoots(o: ExplorerOptions, server: string): ExplorerRoot[] | undefined {
  try {
    return o.lookup(server).roots;
  } catch {
    return undefined;
  }
}

function isJoinFailure(err: unknown): boolean {
  return err instanceof ExplorerCallError && err.code === ErrorCode.ServerUnavailable;
}

function toAppError(err: unknown, method: string) {
  const e = err as Error & { code?: number; kind?: string };
  if (e.kind) return e;
  if (/is not running|is stopped|is failed|did not start|is not accepting/.test(e.message)) {
    return appError('unavailable', e.message);
  }
  if (e.code === ErrorCode.RequestTimeout) return appError('timeout', e.message);
  if (e.code === ErrorCode.Cancelled) return appError('server_error', `${method}: cancelled`);
  return appError('server_error', `${method}: ${e.message}`);
}
