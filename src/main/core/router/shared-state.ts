import type { JsonRpcMessage } from '../protocol/jsonrpc.js';
import { logLevels, type DownstreamSession, type LogLevel } from './session.js';

/** The metadata key a server uses to say which task a message belongs to (MCP tasks). */
export const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** Messages at or above this level reach a session that never chose one (the spec leaves the default to servers). */
const DEFAULT_SESSION_LEVEL: LogLevel = 'info';

function rank(level: LogLevel): number {
  return logLevels.indexOf(level);
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (logLevels as readonly string[]).includes(value);
}

/**
 * What a shared child cannot keep per client, kept by the gateway for each session instead: its log level, its
 * resource subscriptions and the tasks it created. The child sees one client; each session sees what it would
 * see with a server of its own.
 */
export class SharedSessionState {
  /** The level the child was last set to by Switchboard; null until some session asked for one. */
  private childLevel: LogLevel | null = null;
  /** How many sessions subscribe to each URI: the child is subscribed while the count is above zero. */
  private readonly subscribers = new Map<string, number>();
  private readonly taskOwners = new Map<string, DownstreamSession>();

  // ---- logging ---------------------------------------------------------------------------------------------

  /**
   * A session chose its level. Returns the level the child must now be set to (the most verbose any session
   * asked for), or null when the child's level stays as it is.
   */
  setLevel(session: DownstreamSession, level: LogLevel, all: Iterable<DownstreamSession>): LogLevel | null {
    session.logLevel = level;
    return this.retarget(all);
  }

  /** The most verbose level any of `all` asked for, when the child must be set to it; else null. */
  retarget(all: Iterable<DownstreamSession>): LogLevel | null {
    let wanted: LogLevel | null = null;
    for (const s of all) {
      if (s.logLevel && (wanted === null || rank(s.logLevel) < rank(wanted))) wanted = s.logLevel;
    }
    if (wanted === null || wanted === this.childLevel) return null;
    this.childLevel = wanted;
    return wanted;
  }

  /** After a restart the new child has its own default level: the next retarget sets it again. */
  forgetChildLevel(): LogLevel | null {
    const level = this.childLevel;
    this.childLevel = null;
    return level;
  }

  /** Whether a `notifications/message` at `level` goes to `session`. */
  wantsLog(session: DownstreamSession, level: unknown): boolean {
    if (!isLogLevel(level)) return true;
    return rank(level) >= rank(session.logLevel ?? DEFAULT_SESSION_LEVEL);
  }

  // ---- subscriptions ---------------------------------------------------------------------------------------

  /** Records the subscription; true when the child must be asked (no session subscribed to it before). */
  subscribe(session: DownstreamSession, uri: string): boolean {
    if (session.subscriptions.has(uri)) return false;
    session.subscriptions.add(uri);
    const count = this.subscribers.get(uri) ?? 0;
    this.subscribers.set(uri, count + 1);
    return count === 0;
  }

  /** Drops the subscription; true when the child must be told (the last subscriber left). */
  unsubscribe(session: DownstreamSession, uri: string): boolean {
    if (!session.subscriptions.delete(uri)) return false;
    const count = (this.subscribers.get(uri) ?? 1) - 1;
    if (count > 0) {
      this.subscribers.set(uri, count);
      return false;
    }
    this.subscribers.delete(uri);
    return true;
  }

  /** Every URI some session subscribes to (a restarted child is subscribed again). */
  subscribedUris(): string[] {
    return [...this.subscribers.keys()];
  }

  // ---- tasks -----------------------------------------------------------------------------------------------

  /** A response that created a task makes its session the task's owner. */
  noteTask(session: DownstreamSession, response: JsonRpcMessage): void {
    const task = (response.result as { task?: { taskId?: unknown } } | undefined)?.task;
    if (task && typeof task.taskId === 'string') this.taskOwners.set(task.taskId, session);
  }

  taskOwner(taskId: unknown): DownstreamSession | undefined {
    return typeof taskId === 'string' ? this.taskOwners.get(taskId) : undefined;
  }

  /** The task a server message names in its `_meta` (a task status, or a request made for a task). */
  relatedTaskOwner(msg: JsonRpcMessage): DownstreamSession | undefined {
    const params = msg.params ?? {};
    const meta = params._meta as Record<string, { taskId?: unknown } | undefined> | undefined;
    return this.taskOwner(meta?.[RELATED_TASK]?.taskId ?? params.taskId);
  }

  /** Keeps only the tasks `session` owns in a `tasks/list` result. */
  filterTaskList(session: DownstreamSession, response: JsonRpcMessage): void {
    const result = response.result as { tasks?: Array<{ taskId?: unknown }> } | undefined;
    if (Array.isArray(result?.tasks)) result.tasks = result.tasks.filter((t) => this.taskOwner(t.taskId) === session);
  }

  /** A session ended: the URIs nobody subscribes to any more (to unsubscribe the child from). */
  dropSession(session: DownstreamSession): string[] {
    const orphaned: string[] = [];
    for (const uri of [...session.subscriptions]) if (this.unsubscribe(session, uri)) orphaned.push(uri);
    for (const [taskId, owner] of this.taskOwners) if (owner === session) this.taskOwners.delete(taskId);
    return orphaned;
  }
}
