import { z } from 'zod';

export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const count = (min: number, fallback: number) => z.number().int().min(min).default(fallback);

/** Browser origins as the gateway compares them: scheme://host[:port], nothing after, lower case. */
const origin = z
  .string()
  .transform((value) => value.replace(/\/$/, '').toLowerCase())
  .refine((value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  });

/** Every setting Switchboard reads, with its default. `resolveSettings` layers stored, env and flags on top. */
export const settingsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(8808),
  host: z.string().min(1).default('127.0.0.1'),
  logLevel: z.enum(logLevels).default('info'),
  allowedOrigins: z.array(origin).default([]),
  /** null: no token configured (the CLI then generates one, or runs without auth on --no-auth). */
  token: z.string().min(1).nullable().default(null),
  passEnvironment: z.boolean().default(false),
  maxProcesses: count(1, 10),
  /** How long a child may take to answer `initialize` (the handshake timeout). */
  connectionTimeoutMs: count(1, 10_000),
  maxReconnectAttempts: count(0, 5),
  reconnectDelayMs: count(0, 1_000),
  maxQueueSize: count(1, 1_000),
  messageTimeoutMs: count(1, 60_000),
  /** 0 turns keepalive comments off. */
  keepaliveIntervalMs: count(0, 15_000),
  maxMessageBytes: count(1_024, 32 * 1024 * 1024),
  /** The MCP registry the dashboard's catalog reads (a private registry, or a local one in tests). */
  registryUrl: z.url({ protocol: /^https?$/ }).default('https://registry.modelcontextprotocol.io'),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingKey = keyof Settings;

/** What a change needs before it takes effect: nothing, a restart of each server, or of Switchboard itself. */
export type RestartScope = 'none' | 'server' | 'app';

export interface SettingDefinition {
  /** The environment variable that sets it. */
  env: string;
  /** The command-line flag that sets it. */
  flag: string;
  /** How text from env or a flag becomes a value. */
  text: 'int' | 'string' | 'boolean' | 'list' | 'lowercase';
  /** Completes "TRANSPORT_SSE_PORT=abc is not …". */
  expected: string;
  restart: RestartScope;
  /** Never echo the value in messages. */
  secret?: boolean;
}

const ms = (min: number) => `a whole number of milliseconds ≥ ${min}`;

/**
 * The one table behind env names, flags, messages and restart needs. `restart` says what the engine has to
 * rebuild: the listener (port, host, SSE keepalive timer) or each child and its router (limits fixed at spawn).
 */
export const settingDefinitions: Record<SettingKey, SettingDefinition> = {
  port: { env: 'TRANSPORT_SSE_PORT', flag: '--port', text: 'int', expected: 'a port number (0–65535)', restart: 'app' },
  host: {
    env: 'TRANSPORT_SSE_HOST',
    flag: '--host',
    text: 'string',
    expected: 'a host name or address',
    restart: 'app',
  },
  logLevel: {
    env: 'TRANSPORT_LOG_LEVEL',
    flag: '--log-level',
    text: 'lowercase',
    expected: `a log level (${logLevels.join(', ')})`,
    restart: 'none',
  },
  allowedOrigins: {
    env: 'TRANSPORT_ALLOW_ORIGINS',
    flag: '--allow-origin',
    text: 'list',
    expected: 'a comma-separated list of origins like http://localhost:5173 (scheme, host and port only)',
    restart: 'none',
  },
  token: {
    env: 'API_ACCESS_TOKEN',
    flag: '--token',
    text: 'string',
    expected: 'a non-empty token',
    restart: 'none',
    secret: true,
  },
  passEnvironment: {
    env: 'TRANSPORT_PASS_ENV',
    flag: '--pass-environment',
    text: 'boolean',
    expected: 'true or false (1/0, true/false, yes/no, on/off)',
    restart: 'server',
  },
  maxProcesses: {
    env: 'TRANSPORT_MAX_PROCESSES',
    flag: '--max-processes',
    text: 'int',
    expected: 'a whole number ≥ 1',
    restart: 'none',
  },
  connectionTimeoutMs: runtime('CONNECTION_TIMEOUT_MS', ms(1), 'server'),
  maxReconnectAttempts: runtime('MAX_RECONNECT_ATTEMPTS', 'a whole number ≥ 0', 'server'),
  reconnectDelayMs: runtime('RECONNECT_DELAY_MS', ms(0), 'server'),
  maxQueueSize: runtime('MAX_QUEUE_SIZE', 'a whole number ≥ 1', 'server'),
  messageTimeoutMs: runtime('MESSAGE_TIMEOUT_MS', ms(1), 'server'),
  keepaliveIntervalMs: runtime('KEEPALIVE_INTERVAL_MS', `${ms(0)} (0 turns it off)`, 'app'),
  maxMessageBytes: runtime('MAX_MESSAGE_BYTES', 'a whole number of bytes ≥ 1024', 'server'),
  registryUrl: { ...runtime('REGISTRY_URL', 'an http(s) URL', 'none'), text: 'string' },
};

/** Runtime settings follow one naming rule: SWITCHBOARD_MESSAGE_TIMEOUT_MS ⇄ --message-timeout-ms. */
function runtime(suffix: string, expected: string, restart: RestartScope): SettingDefinition {
  return {
    env: `SWITCHBOARD_${suffix}`,
    flag: `--${suffix.toLowerCase().replace(/_/g, '-')}`,
    text: 'int',
    expected,
    restart,
  };
}

/** Settings whose change takes effect only after a restart of a server or of Switchboard. */
export const settingsNeedingRestart: SettingKey[] = (Object.keys(settingDefinitions) as SettingKey[]).filter(
  (key) => settingDefinitions[key].restart !== 'none',
);

/** The keys that differ between two settings and need a restart, for a "restart to apply" banner. */
export function restartsNeeded(before: Settings, after: Settings): Array<{ key: SettingKey; restart: RestartScope }> {
  return settingsNeedingRestart
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({ key, restart: settingDefinitions[key].restart }));
}
