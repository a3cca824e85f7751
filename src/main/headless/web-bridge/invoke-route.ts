import type { IncomingMessage, ServerResponse } from 'node:http';
import { terminalMethods, type AppInfo, type AppReply } from '../../../shared/app-api.js';
import type { AppHost } from '../../core/app/app-host.js';
import { invoke, isAppMethod } from '../../core/app/dispatch.js';
import { HttpError, readBody } from '../../core/gateway/http-util.js';
import type { Logger } from '../../core/util/logger.js';

export interface InvokeRouteOptions {
  enableTerminal: boolean;
  maxBodyBytes: number;
  logger?: Logger;
}

/**
 * `POST /api/invoke/<method>` with a JSON array of arguments → an AppReply as JSON. Transport failures (wrong
 * verb, not JSON, too large) get an HTTP status and an AppReply body too, so the client reads one shape.
 * A call that reached the API always answers 200; its outcome is in `ok`.
 */
export async function handleInvoke(
  req: IncomingMessage,
  res: ServerResponse,
  rawMethod: string,
  host: AppHost,
  options: InvokeRouteOptions,
  headers: Record<string, string>,
): Promise<void> {
  const send = (status: number, reply: AppReply, extra: Record<string, string> = {}) =>
    sendReply(res, status, reply, { ...headers, ...extra });
  if (req.method !== 'POST') {
    return send(405, { ok: false, kind: 'invalid', message: 'Use POST for /api/invoke.' }, { allow: 'POST' });
  }
  let method: string;
  try {
    method = decodeURIComponent(rawMethod);
  } catch {
    method = rawMethod;
  }
  if (!isAppMethod(method)) {
    return send(404, { ok: false, kind: 'not_found', message: `There is no method named ${JSON.stringify(method)}.` });
  }
  // JSON only: a cross-origin form cannot send it without a CORS preflight, which the gateway refuses.
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    return send(415, { ok: false, kind: 'invalid', message: 'Send the arguments as application/json.' });
  }
  if (!options.enableTerminal && terminalMethods.includes(method)) {
    return send(403, {
      ok: false,
      kind: 'forbidden',
      message: 'The terminal is off in the web dashboard; start `switchboard serve --enable-terminal` to allow it.',
    });
  }
  let args: unknown;
  try {
    args = JSON.parse((await readBody(req, options.maxBodyBytes)).toString('utf8'));
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 400;
    const message =
      error instanceof HttpError ? `The request is too large (${error.message}).` : 'The body is not valid JSON.';
    return send(status, { ok: false, kind: 'invalid', message }, status === 413 ? { connection: 'close' } : {});
  }
  if (!Array.isArray(args)) {
    return send(400, { ok: false, kind: 'invalid', message: `${method} expects its arguments as a JSON array.` });
  }
  const reply = await invoke(host.api, method, args, { logger: options.logger });
  if (reply.ok && method === 'getAppInfo') {
    // The engine cannot know which transport asked; the bridge does.
    const info = reply.value as AppInfo;
    reply.value = { ...info, host: 'web', terminalEnabled: options.enableTerminal } satisfies AppInfo;
  }
  send(200, reply);
}

function sendReply(res: ServerResponse, status: number, reply: AppReply, headers: Record<string, string>): void {
  let body: string;
  try {
    body = JSON.stringify(reply);
  } catch {
    body = JSON.stringify({ ok: false, kind: 'internal', message: 'The result could not be sent as JSON.' });
  }
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
