import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AppEventName, AppReply } from '../../../shared/app-api.js';
import type { AppHost } from '../../core/app/app-host.js';
import type { AppRequestHandler, HttpGateway } from '../../core/gateway/http-gateway.js';
import type { Logger } from '../../core/util/logger.js';
import { admit, sameOriginViolation } from './access.js';
import { EventStream } from './event-stream.js';
import { handleInvoke } from './invoke-route.js';
import { sendSignInPage, sendText } from './pages.js';
import { SESSION_LABEL, cookieName, sessionCookie } from './session-cookie.js';
import { StaticFiles } from './static-files.js';

export { dashboardUrl } from './dashboard-url.js';

/** out/renderer of this checkout, for the CLI (which runs from src/ through tsx; a bundle would resolve elsewhere). */
export const builtRendererDir = fileURLToPath(new URL('../../../../out/renderer', import.meta.url));

export interface WebBridgeOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The terminal methods and events are refused unless the host was started with --enable-terminal. */
  enableTerminal: boolean;
  logger?: Logger;
  /** Default 15 s. */
  keepaliveMs?: number;
  /** Largest /api/invoke body; default 4 MiB (an imported config can be large). */
  maxBodyBytes?: number;
  /** Default 8 MiB. */
  maxStreamBufferBytes?: number;
}

export interface WebBridge {
  /** Open /api/events streams. */
  readonly streams: number;
  /** Ends every event stream and hands the paths back to the gateway (404). */
  close(): void;
}

const terminalEvents: readonly AppEventName[] = ['terminalData', 'terminalExit'];

/**
 * Serves the dashboard at `/ui/`, the AppApi at `POST /api/invoke/<method>` and its events at `GET /api/events`
 * on the gateway's port. The gateway has checked Host and Origin; the bridge checks who is asking: the bearer
 * header, or the session cookie that `/ui/?token=…` sets once. Nothing here holds the raw token.
 */
export function attachWebBridge(
  gateway: Pick<HttpGateway, 'access' | 'setAppHandler'>,
  host: AppHost,
  options: WebBridgeOptions,
): WebBridge {
  const guard = gateway.access;
  const files = new StaticFiles(options.rendererDir);
  const events = new EventStream(host, {
    keepaliveMs: options.keepaliveMs ?? 15_000,
    maxBufferedBytes: options.maxStreamBufferBytes ?? 8 * 1024 * 1024,
    withheld: options.enableTerminal ? [] : terminalEvents,
    onError: (error) => options.logger?.error(`event stream failed: ${(error as Error).stack ?? error}`),
  });
  const invokeOptions = {
    enableTerminal: options.enableTerminal,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    logger: options.logger,
  };

  const handler: AppRequestHandler = async (req, res, url, cors) => {
    const path = url.pathname;
    const isUi = path === '/ui' || path.startsWith('/ui/');
    if (!isUi && !path.startsWith('/api/')) return false;

    if ((path === '/ui' || path === '/ui/') && url.searchParams.has('token')) {
      signIn(req, res, url.searchParams.get('token') ?? '');
      return true;
    }
    if (path === '/ui') return (redirect(res, '/ui/'), true);

    const admission = admit(req, guard);
    if (!admission) {
      if (isUi) sendSignInPage(res, 'missing', {});
      else sendApiError(res, 401, notSignedIn, { ...cors, 'www-authenticate': 'Bearer realm="switchboard"' });
      return true;
    }
    if (isUi) {
      await files.serve(req, res, path.slice('/ui/'.length));
      return true;
    }
    const refusal = sameOriginViolation(req, admission);
    if (refusal) return (sendApiError(res, 403, { ok: false, kind: 'forbidden', message: refusal }, cors), true);

    if (path === '/api/events') {
      if (req.method !== 'GET') {
        sendText(res, 405, 'Method Not Allowed', { ...cors, allow: 'GET' });
      } else events.open(req, res, cors);
      return true;
    }
    const invokeMatch = /^\/api\/invoke\/([^/]+)$/.exec(path);
    if (invokeMatch) {
      await handleInvoke(req, res, invokeMatch[1]!, host, invokeOptions, cors);
      return true;
    }
    sendApiError(res, 404, { ok: false, kind: 'not_found', message: `Not Found: ${path}` }, cors);
    return true;
  };

  /** `/ui/?token=…`: a valid token becomes the session cookie, and the token leaves the address bar. */
  function signIn(req: IncomingMessage, res: ServerResponse, token: string): void {
    if (guard.authRequired && !guard.verifyToken(token)) return sendSignInPage(res, 'wrong', {});
    const value = guard.deriveFromToken(SESSION_LABEL);
    const secure = 'encrypted' in req.socket && req.socket.encrypted === true;
    redirect(res, '/ui/', value === null ? {} : { 'set-cookie': sessionCookie(cookieName(req), value, secure) });
  }

  gateway.setAppHandler(handler);
  return {
    get streams() {
      return events.size;
    },
    close() {
      gateway.setAppHandler(null);
      events.closeAll();
    },
  };
}

const notSignedIn: AppReply = {
  ok: false,
  kind: 'forbidden',
  message: 'Not signed in: open the dashboard with the URL that `switchboard serve` printed (…/ui/?token=…).',
};

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  // no-referrer: the address that carried the token is not passed on to anything the page loads.
  res.writeHead(302, { ...headers, location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  res.end();
}

function sendApiError(res: ServerResponse, status: number, reply: AppReply, headers: Record<string, string>): void {
  const body = JSON.stringify(reply);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}
