import { appMethods, type AppApi, type AppMethod, type AppReply } from '../../../shared/app-api.js';
import { isAppErrorKind } from '../../../shared/app-transport.js';

export interface InvokeOptions {
  /** Where unexpected errors (bugs) are recorded with their stack; the caller only sees a safe message. */
  logger?: { error(message: string, fields?: Record<string, unknown>): void };
}

/** True for a name in the contract's method list; anything else (`constructor`, `__proto__`…) is refused. */
export function isAppMethod(name: unknown): name is AppMethod {
  return typeof name === 'string' && (appMethods as readonly string[]).includes(name);
}

/**
 * Calls one AppApi method on behalf of a transport (IPC, HTTP) and answers with an AppReply; it never throws.
 * Inputs come from outside the process, so the method name and the argument list are checked first. An error
 * with a known `kind` keeps its kind and message (they are written for people); any other error is a bug whose
 * details stay in the log, and the caller gets 'internal' with a message that leaks nothing.
 */
export async function invoke(
  api: AppApi,
  method: unknown,
  args: unknown,
  options: InvokeOptions = {},
): Promise<AppReply> {
  if (!isAppMethod(method)) {
    return { ok: false, kind: 'not_found', message: `There is no method named ${JSON.stringify(method)}.` };
  }
  if (!Array.isArray(args)) {
    return { ok: false, kind: 'invalid', message: `${method} expects its arguments as a JSON array.` };
  }
  const fn = api[method] as unknown;
  if (typeof fn !== 'function') {
    return { ok: false, kind: 'not_found', message: `${method} is not available in this host.` };
  }
  try {
    const value: unknown = await (fn as (...a: unknown[]) => Promise<unknown>).apply(api, args);
    return { ok: true, value };
  } catch (error) {
    return toReply(method, error, options);
  }
}

function toReply(method: AppMethod, error: unknown, options: InvokeOptions): AppReply {
  const kind = (error as { kind?: unknown } | null)?.kind;
  const message = error instanceof Error ? error.message : undefined;
  const detail = error instanceof Error ? (error.stack ?? message) : String(error);
  if (isAppErrorKind(kind) && message) {
    if (kind === 'internal') options.logger?.error(`${method} failed: ${detail}`);
    return { ok: false, kind, message };
  }
  options.logger?.error(`${method} failed unexpectedly: ${detail}`);
  return {
    ok: false,
    kind: 'internal',
    message: `${method} failed because of an internal error; the Switchboard log has the details.`,
  };
}
