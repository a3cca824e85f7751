import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { remoteBindProblem } from '../core/gateway/bind-policy.js';
import { parseLogLevel, type LogLevel } from '../core/util/logger.js';

/** Settings the CLI resolves: defaults < environment < flags. */
export interface CliSettings {
  command: 'run' | 'serve' | 'help' | 'version';
  port: number;
  host: string;
  /** null: auth off. */
  token: string | null;
  tokenGenerated: boolean;
  allowedOrigins: string[];
  /** Host names accepted in the Host header besides loopback (a Service name, an ingress host). */
  allowedHosts: string[];
  passEnvironment: boolean;
  maxProcesses: number;
  logLevel: LogLevel;
  /** `run`: the server's name, its env and its command line. */
  name: string;
  env: Record<string, string>;
  commandLine: string[];
  configPath?: string;
  dataDir?: string;
  /** Only what was given on the command line, by setting key (`token: null` is --no-auth): the top layer. */
  flags: Record<string, unknown>;
  /** serve: let the web dashboard open terminals (off by default: a terminal is a shell for whoever holds the token). */
  enableTerminal: boolean;
  /** --tls-cert/--tls-key, read: the gateway speaks HTTPS and WSS only. */
  tls?: { cert: Buffer; key: Buffer };
  /** --insecure: bind beyond loopback without a token or TLS (said at start). */
  insecure: boolean;
}

export class UsageError extends Error {}

export const usage = `Usage:
  switchboard run [options] -- COMMAND [ARGS...]    expose one stdio MCP server over HTTP
  switchboard serve [--config FILE] [options]       serve the registry (seeded from an mcpServers JSON file) and
                                                    the dashboard at /ui/

Options:
  --port N               port to listen on (env TRANSPORT_SSE_PORT, default 8808; 0 picks a free one)
  --host H               address to bind (env TRANSPORT_SSE_HOST, default 127.0.0.1)
  --token T              bearer token clients must send (env API_ACCESS_TOKEN; generated when absent)
  --no-auth              accept requests without a token (loopback use only)
  --allow-origin O       allow a browser origin, repeatable (env TRANSPORT_ALLOW_ORIGINS, comma separated)
  --allow-host H         accept this name in the Host header besides loopback names, repeatable, e.g. a
                         Kubernetes Service name (env TRANSPORT_ALLOW_HOSTS, comma separated)
  --env K=V              set a variable for the server (run), repeatable
  --pass-environment     give servers the whole environment, not just the safe allowlist (env TRANSPORT_PASS_ENV)
  --name NAME            the server's name in URLs (run; default: the command's name)
  --config FILE          an mcpServers file whose servers join the registry, refreshed at every start (serve)
  --data-dir DIR         where Switchboard keeps its registry, settings, logs and traffic (serve;
                         default: the platform's per-user data folder)
  --enable-terminal      let the web dashboard open terminals (serve; env SWITCHBOARD_ENABLE_TERMINAL)
  --log-level L          debug, info, warn or error (env TRANSPORT_LOG_LEVEL)
  --tls-cert FILE        PEM certificate: serve HTTPS (and WSS) only; with --tls-key
  --tls-key FILE         PEM private key of --tls-cert
  --insecure             allow a --host beyond loopback without TLS or a token (by default that is refused)
`;

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

function parsePort(value: string, from: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${from}: "${value}" is not a port number`);
  return port;
}

export function resolveSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): CliSettings {
  const dashdash = argv.indexOf('--');
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const commandLine = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: own,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        'no-auth': { type: 'boolean' },
        'allow-origin': { type: 'string', multiple: true },
        'allow-host': { type: 'string', multiple: true },
        env: { type: 'string', multiple: true },
        'pass-environment': { type: 'boolean' },
        name: { type: 'string' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        'enable-terminal': { type: 'boolean' },
        'log-level': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        insecure: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const sub = values.help ? 'help' : values.version ? 'version' : (positionals[0] ?? 'help');
  if (!['run', 'serve', 'help', 'version'].includes(sub)) throw new UsageError(`unknown command "${sub}"`);
  const command = sub as CliSettings['command'];
  if (command === 'run' && commandLine.length === 0)
    throw new UsageError(
      'run needs a command after --, e.g. switchboard run -- npx -y @modelcontextprotocol/server-everything',
    );
  if (values.token !== undefined && values['no-auth'])
    throw new UsageError('--token and --no-auth contradict each other');

  const declared: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${pair}: expected KEY=VALUE`);
    declared[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const envToken = env.API_ACCESS_TOKEN || undefined;
  const noAuth = values['no-auth'] ?? false;
  const given = values.token ?? envToken;
  const token = noAuth ? null : (given ?? randomBytes(24).toString('base64url'));
  const maxProcesses = Number(env.TRANSPORT_MAX_PROCESSES ?? 10);
  const host = values.host ?? env.TRANSPORT_SSE_HOST ?? '127.0.0.1';
  const tls = readTls(values['tls-cert'], values['tls-key']);
  const insecure = values.insecure ?? false;
  const bindProblem = remoteBindProblem({ host, token, tls: tls !== undefined, insecure });
  if (bindProblem) throw new UsageError(bindProblem);

  const flags: Record<string, unknown> = {};
  if (values.port !== undefined) flags.port = parsePort(values.port, '--port');
  if (values.host !== undefined) flags.host = values.host;
  if (noAuth) flags.token = null;
  else if (values.token !== undefined) flags.token = values.token;
  if (values['allow-origin'] !== undefined) flags.allowedOrigins = values['allow-origin'];
  if (values['pass-environment'] !== undefined) flags.passEnvironment = values['pass-environment'];
  if (values['log-level'] !== undefined) flags.logLevel = values['log-level'];

  return {
    command,
    flags,
    port:
      values.port !== undefined
        ? parsePort(values.port, '--port')
        : env.TRANSPORT_SSE_PORT
          ? parsePort(env.TRANSPORT_SSE_PORT, 'TRANSPORT_SSE_PORT')
          : 8808,
    host,
    token,
    tokenGenerated: !noAuth && given === undefined,
    allowedOrigins:
      values['allow-origin'] ??
      (env.TRANSPORT_ALLOW_ORIGINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    allowedHosts:
      values['allow-host'] ??
      (env.TRANSPORT_ALLOW_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    passEnvironment: values['pass-environment'] ?? truthy(env.TRANSPORT_PASS_ENV),
    maxProcesses: Number.isInteger(maxProcesses) && maxProcesses > 0 ? maxProcesses : 10,
    logLevel: parseLogLevel(values['log-level'] ?? env.TRANSPORT_LOG_LEVEL),
    name: values.name ?? commandName(commandLine),
    env: declared,
    commandLine,
    configPath: values.config,
    dataDir: values['data-dir'],
    enableTerminal: values['enable-terminal'] ?? truthy(env.SWITCHBOARD_ENABLE_TERMINAL),
    tls,
    insecure,
  };
}

/** Reads the PEM files now, so a wrong path is a usage error naming the file, not a failure after start. */
function readTls(certPath?: string, keyPath?: string): CliSettings['tls'] {
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  const read = (path: string, flag: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UsageError(`${flag} ${path}: ${(err as Error).message}`);
    }
  };
  return { cert: read(certPath, '--tls-cert'), key: read(keyPath, '--tls-key') };
}

function commandName(commandLine: string[]): string {
  // `npx -y @scope/server-x` → server-x: the package is a better name than "npx".
  const pkg = commandLine.find((a, i) => i > 0 && !a.startsWith('-'));
  const base =
    ['npx', 'uvx', 'node', 'python', 'python3', 'bunx', 'deno'].includes(commandLine[0] ?? '') && pkg
      ? pkg
      : (commandLine[0] ?? 'server');
  return (
    base
      .split(/[\\/]/)
      .pop()!
      .replace(/\.[a-z]+$/i, '')
      .replace(/[^a-zA-Z0-9_.-]+/g, '-') || 'server'
  );
}
