import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  SettingsError,
  resolveSettings as resolveLayers,
  settingDefinitions,
  type SettingDefinition,
  type SettingKey,
  type Settings,
} from '../core/config/settings.js';
import { remoteBindProblem } from '../core/gateway/bind-policy.js';
import type { LogLevel } from '../core/util/logger.js';
import { UsageError } from './usage.js';

export { UsageError, usage } from './usage.js';
export { SettingsError };

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
  flags: Partial<Record<SettingKey, unknown>>;
  /** Every engine setting as the one resolver layered it (defaults < environment < flags). */
  settings: Settings;
  /** serve: let the web dashboard open terminals (off by default: a terminal is a shell for whoever holds the token). */
  enableTerminal: boolean;
  /** --tls-cert/--tls-key, read: the gateway speaks HTTPS and WSS only. */
  tls?: { cert: Buffer; key: Buffer };
  /** --insecure: bind beyond loopback without a token or TLS (said at start). */
  insecure: boolean;
}

/** Options only the command line has (nothing stores them), with their parseArgs types. */
const cliOptions = {
  'no-auth': { type: 'boolean' },
  'allow-host': { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  name: { type: 'string' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  'enable-terminal': { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  insecure: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

type Options = NonNullable<ParseArgsConfig['options']>;

/** One flag per setting, from the table that also names its variable: `--port`, `--message-timeout-ms`, … */
function settingOptions(): Options {
  const options: Options = {};
  for (const def of Object.values(settingDefinitions)) {
    options[def.flag.slice(2)] =
      def.text === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: def.text === 'list' };
  }
  return options;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

/**
 * Parses a `run` or `serve` command line and resolves its settings with the engine's one resolver
 * (core/config/settings.ts: defaults < environment < flags here; `serve` adds the stored layer when it opens its
 * store, through the same function). Throws a UsageError for a command line it cannot parse, and a SettingsError
 * naming the variable or flag and the expected form for a value it cannot use.
 */
export function resolveSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): CliSettings {
  const dashdash = argv.indexOf('--');
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const commandLine = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: own, allowPositionals: true, options: { ...settingOptions(), ...cliOptions } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const text = (name: string) => values[name] as string | undefined;
  const texts = (name: string) => values[name] as string[] | undefined;
  const on = (name: string) => values[name] as boolean | undefined;

  const sub = on('help') ? 'help' : on('version') ? 'version' : (parsed.positionals[0] ?? 'help');
  if (!['run', 'serve', 'help', 'version'].includes(sub)) throw new UsageError(`unknown command "${sub}"`);
  const command = sub as CliSettings['command'];
  if (command === 'run' && commandLine.length === 0)
    throw new UsageError(
      'run needs a command after --, e.g. switchboard run -- npx -y @modelcontextprotocol/server-everything',
    );
  const noAuth = on('no-auth') ?? false;
  if (text('token') !== undefined && noAuth) throw new UsageError('--token and --no-auth contradict each other');

  const declared: Record<string, string> = {};
  for (const pair of texts('env') ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${pair}: expected KEY=VALUE`);
    declared[pair.slice(0, eq)] = pair.slice(eq + 1);
  }

  // Flags by setting key, as the resolver takes them; `token: null` is --no-auth.
  const flags: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, def] of Object.entries(settingDefinitions) as Array<[SettingKey, SettingDefinition]>) {
    const value = values[def.flag.slice(2)];
    // A repeated list flag arrives as an array; the resolver reads each item as the variable's comma list does.
    if (value !== undefined) flags[key] = Array.isArray(value) ? value.join(',') : value;
  }
  if (noAuth) flags.token = null;
  const { settings } = resolveLayers({ env, flags });

  const allowedHosts = allowedHostsFrom(texts('allow-host'), env.TRANSPORT_ALLOW_HOSTS);
  const token = noAuth ? null : (settings.token ?? randomBytes(24).toString('base64url'));
  const tls = readTls(text('tls-cert'), text('tls-key'));
  const insecure = on('insecure') ?? false;
  const bindProblem = remoteBindProblem({ host: settings.host, token, tls: tls !== undefined, insecure });
  if (bindProblem) throw new UsageError(bindProblem);

  return {
    command,
    flags,
    settings,
    port: settings.port,
    host: settings.host,
    token,
    tokenGenerated: !noAuth && settings.token === null,
    allowedOrigins: settings.allowedOrigins,
    allowedHosts,
    passEnvironment: settings.passEnvironment,
    maxProcesses: settings.maxProcesses,
    logLevel: settings.logLevel,
    name: text('name') ?? commandName(commandLine),
    env: declared,
    commandLine,
    configPath: text('config'),
    dataDir: text('data-dir'),
    enableTerminal: on('enable-terminal') ?? truthy(env.SWITCHBOARD_ENABLE_TERMINAL),
    tls,
    insecure,
  };
}

/**
 * --allow-host wins over TRANSPORT_ALLOW_HOSTS. Not a stored setting (only the command line and the environment
 * of a deployment name the Service), so it is checked here, with the same kind of message as the resolver's.
 */
function allowedHostsFrom(flag: string[] | undefined, variable: string | undefined): string[] {
  const names = (flag ?? (variable ?? '').split(',')).map((h) => h.trim()).filter(Boolean);
  // Names as the Host header carries them, without a port: DNS names, IPv4, or bracketed IPv6.
  const bad = names.find((h) => !/^([a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?|\[[0-9a-f:.]+\])$/i.test(h));
  if (bad === undefined) return names;
  const origin = flag ? `--allow-host ${bad}` : `TRANSPORT_ALLOW_HOSTS=${variable}`;
  throw new SettingsError([
    {
      key: 'host',
      layer: flag ? 'flag' : 'env',
      message: `${origin} is not a host name (a DNS name or address, no port)`,
    },
  ]);
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
