/**
 * What an Engine is built from: its options with their defaults, and the server definitions hosts hand it (a full
 * definition, or the short form of a config file entry), validated here.
 */
import {
  describeServerIssues,
  serverDefinitionSchema,
  type ServerDefinition,
  type ServerDefinitionInput,
} from '../../shared/server-definition.js';
import type { ServerSpec } from './config/server-config.js';
import type { RouterOptions } from './router/router-options.js';
import type { HealthCheckOptions } from './supervisor/health-check.js';
import type { RestartPolicyOptions } from './supervisor/restart-policy.js';
import { defaultStderrLinesPerSecond } from './supervisor/stderr-limiter.js';
import type { StdioLimits } from './supervisor/stdio-process.js';
import type { Logger } from './util/logger.js';

/** A server as hosts hand it to the engine: a full definition, or the short form of a config file entry. */
export type ServerInput = ServerDefinitionInput | ServerSpec;

export interface EngineOptions {
  servers: ServerInput[];
  host: string;
  port: number;
  /** null: no auth (the user said --no-auth). */
  token: string | null;
  allowedOrigins: string[];
  allowedHosts: string[];
  /** Pass the whole parent environment to every child (TRANSPORT_PASS_ENV / --pass-environment). */
  passEnvironment: boolean;
  maxProcesses: number;
  maxBodyBytes: number;
  maxConcurrentRequests: number;
  maxSessionsPerServer: number;
  /** Streamable HTTP sessions idle this long (no stream, nothing in flight) are closed. */
  sessionIdleMs: number;
  rate: { perSecond: number; burst: number };
  keepaliveMs: number;
  /** PEM certificate and key: the gateway serves HTTPS and WSS only. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Bytes a stream may buffer for a slow reader: over it for 1 s, or ever over twice it, the session is closed. */
  maxStreamBufferBytes: number;
  handshakeTimeoutMs: number;
  /** Child stderr lines logged per second per server; the rest are counted as dropped. */
  stderrLinesPerSecond: number;
  stdio: Partial<StdioLimits>;
  router: Partial<RouterOptions>;
  restart: Partial<RestartPolicyOptions>;
  healthCheck: Partial<HealthCheckOptions>;
  /** Where children are recorded so a later run can reap them after a crash; none: not recorded. */
  dataDir?: string;
  logger: Logger;
  /** Where children's stderr lines go (after the per-server rate cap); by default, the logger. */
  onStderr?: (server: string, line: string, dropped: number) => void;
}

export const defaultEngineOptions: Omit<EngineOptions, 'servers' | 'logger'> = {
  host: '127.0.0.1',
  port: 8808,
  token: null,
  allowedOrigins: [],
  allowedHosts: [],
  passEnvironment: false,
  maxProcesses: 10,
  maxBodyBytes: 1024 * 1024,
  maxConcurrentRequests: 4096,
  maxSessionsPerServer: 1000,
  sessionIdleMs: 10 * 60_000,
  rate: { perSecond: 20_000, burst: 40_000 },
  keepaliveMs: 15_000,
  maxStreamBufferBytes: 16 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  stderrLinesPerSecond: defaultStderrLinesPerSecond,
  stdio: {},
  router: {},
  restart: {},
  healthCheck: {},
};

/** A definition from either form, validated, with defaults filled in; throws with readable messages. */
export function toDefinition(input: ServerInput): ServerDefinition {
  const { passEnvironment, ...rest } = input as ServerSpec & ServerDefinitionInput;
  const candidate = passEnvironment === undefined ? rest : { ...rest, options: { ...rest.options, passEnvironment } };
  const parsed = serverDefinitionSchema.safeParse(candidate);
  if (!parsed.success) {
    throw Object.assign(new Error(`server "${input.name}": ${describeServerIssues(parsed.error)}`), {
      kind: 'invalid',
    });
  }
  return parsed.data;
}
