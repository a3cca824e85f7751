import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { endpointDirs } from '../../core/store/data-dir.js';
import { createLogger, parseLogLevel, stderrSink } from '../../core/util/logger.js';
import { StdioHttpBridge, type BridgeTarget } from './connect-bridge.js';
import { readFirstEndpoint } from './endpoint-file.js';

export const connectUsage = `Usage:
  switchboard connect [--server NAME] [--url URL] [--token T] [--data-dir DIR]

A stdio MCP server that forwards everything to Switchboard, for clients that only launch stdio servers
(Claude Desktop). By default it reaches the aggregate endpoint (/mcp) of the running "switchboard serve" or desktop
app, which records its URL and token in its data dir; --server NAME reaches one server (/servers/NAME/mcp). It
reconnects when Switchboard restarts and exits when stdin closes. Logs go to stderr.

Options:
  --server NAME     one server instead of the aggregate
  --url URL         Switchboard's address (http://127.0.0.1:8808) or a full endpoint URL (…/mcp)
  --token T         bearer token (env API_ACCESS_TOKEN; default: the one serve recorded)
  --data-dir DIR    the data dir of the Switchboard to reach (default: serve's per-user data folder, then the
                    desktop app's)
  --log-level L     debug, info, warn or error (default warn)
`;

interface ConnectFlags {
  server?: string;
  url?: string;
  token?: string;
  dataDir?: string;
}

/** The endpoint for a base URL: the aggregate, or one server; a URL that already names a path is used as given. */
export function endpointUrl(base: string, server?: string): URL {
  const url = new URL(base);
  if (url.pathname === '/' || url.pathname === '') {
    url.pathname = server ? `/servers/${encodeURIComponent(server)}/mcp` : '/mcp';
  }
  return url;
}

/** Flags win; what they leave open comes from the data dir, read again at every reconnection. */
export function targetResolver(flags: ConnectFlags, env: NodeJS.ProcessEnv): () => BridgeTarget {
  const flagToken = flags.token ?? env.API_ACCESS_TOKEN;
  return () => {
    if (flags.url && flagToken !== undefined) return { url: endpointUrl(flags.url, flags.server), token: flagToken };
    const recorded = readFirstEndpoint(endpointDirs({ explicit: flags.dataDir, env }));
    if (!recorded.ok) {
      if (flags.url) return { url: endpointUrl(flags.url, flags.server), token: null };
      throw new Error(recorded.message);
    }
    return {
      url: endpointUrl(flags.url ?? recorded.record.url, flags.server),
      token: flagToken ?? recorded.record.token,
    };
  };
}

/** `switchboard connect`: runs until the client closes stdin. Resolves with the exit code. */
export async function runConnect(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let flags: ConnectFlags & { logLevel?: string; help?: boolean };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        server: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    flags = { ...values, dataDir: values['data-dir'], logLevel: values['log-level'] };
    if (flags.url) new URL(flags.url);
  } catch (err) {
    process.stderr.write(`switchboard connect: ${(err as Error).message}\n\n${connectUsage}`);
    return 2;
  }
  if (flags.help) return (void process.stderr.write(connectUsage), 0);
  const logger = createLogger(parseLogLevel(flags.logLevel ?? 'warn'), stderrSink, 'switchboard-connect');
  const resolveTarget = targetResolver(flags, env);
  try {
    const first = resolveTarget();
    logger.info(`bridging stdio to ${first.url.href}`);
  } catch (err) {
    // Not fatal: serve may start after the client launched us; the first request then says why it failed.
    logger.warn((err as Error).message);
  }
  const bridge = new StdioHttpBridge({
    downstream: new StdioServerTransport(),
    resolveTarget,
    logger,
    // A token read from the data dir may be regenerated while we run; one given to us will not change.
    reconnectOnUnauthorized: flags.token === undefined && env.API_ACCESS_TOKEN === undefined,
  });
  // The client closing our stdin is how it stops us (the SDK's stdio transport only watches data and errors).
  process.stdin.once('end', () => void bridge.close());
  process.stdin.once('close', () => void bridge.close());
  process.on('SIGTERM', () => void bridge.close());
  process.on('SIGINT', () => void bridge.close());
  await bridge.start();
  await bridge.done;
  return 0;
}

/** The CLI dispatcher's entry: argv starts with the command's own name. */
export function main(argv: string[]): Promise<number> {
  return runConnect(argv.slice(1));
}
