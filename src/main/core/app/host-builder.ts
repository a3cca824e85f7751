import { randomBytes } from 'node:crypto';
import type { AppInfo } from '../../../shared/app-api.js';
import type { ServerDefinitionInput } from '../../../shared/server-definition.js';
import { ConfigError, loadMcpServersFile } from '../config/server-config.js';
import { remoteBindProblem } from '../gateway/bind-policy.js';
import { engineOptionsFor, resolveSettings, type SettingKey } from '../config/settings.js';
import { Engine, defaultEngineOptions, type EngineOptions } from '../engine.js';
import { Store, resolveDataDir } from '../store/index.js';
import { teeSinks } from '../telemetry/engine-log.js';
import { createLogger, type LogSink, type Logger } from '../util/logger.js';
import type { AppHost } from './app-host.js';
import { eventSource } from './app-events.js';
import { AppService } from './app-service.js';
import { SettingsControl, type SecretCodec } from './settings-control.js';
import { TelemetryHub } from './telemetry-hub.js';
import { TerminalManager } from './terminal-manager.js';

export interface HostOptions {
  host: AppInfo['host'];
  /** --data-dir, Electron's userData; default: the platform's per-user data folder. */
  dataDir?: string;
  /** `serve --config`: seeds the registry, and refreshes the servers it names, at every start. */
  configPath?: string;
  env: Record<string, string | undefined>;
  /** Command-line values by setting key (`token: null` is --no-auth). */
  flags: Partial<Record<SettingKey, unknown>>;
  enableTerminal: boolean;
  /** How to run the demo server (node; or Electron's binary as node). */
  demo: Pick<ServerDefinitionInput, 'command' | 'args' | 'env'>;
  /** Where log records go besides the dashboard (stderr for the CLI). */
  logSink?: LogSink;
  codec?: SecretCodec;
  /** Overrides for the engine (TLS, allowed hosts; tests). */
  engine?: Partial<EngineOptions>;
  /** --insecure: a bind beyond loopback without a token or TLS is accepted (and said at start). */
  insecure?: boolean;
}

export interface RunningHost extends AppHost {
  engine: Engine;
  store: Store;
  service: AppService;
  telemetry: TelemetryHub;
  settings: SettingsControl;
  logger: Logger;
  dataDir: string;
  /** The token in force, and whether it was generated on this start (print it once). */
  token: string | null;
  tokenGenerated: boolean;
  /** Entries of the config file that were not loaded, and why. */
  skipped: Array<{ name: string; reason: string }>;
  stop(): Promise<void>;
}

/**
 * Builds the whole engine for a host with a dashboard (`switchboard serve`, the desktop app): the store, settings
 * with their precedence, the registry (seeded from a config file when given), the engine, telemetry and the
 * AppService. The caller attaches a transport (web bridge or IPC) to the returned AppHost.
 */
export async function startAppHost(o: HostOptions): Promise<RunningHost> {
  const dataDir = resolveDataDir({ explicit: o.dataDir });
  // The logger exists before the telemetry that keeps its records: a late-bound sink joins them.
  let keep: LogSink = () => {};
  const earlyResolved = resolveSettings({ env: o.env, flags: o.flags });
  const logger = createLogger(
    earlyResolved.settings.logLevel,
    teeSinks(o.logSink ?? (() => {}), (r) => keep(r)),
  );

  const store = await Store.open({ dataDir, logger });
  try {
    let engine: Engine | null = null;
    const settings = new SettingsControl({
      store,
      env: o.env,
      flags: o.flags,
      token: null,
      applyToken: (t) => engine?.gateway.setToken(t),
      applyRetentionDays: (days) => store.setRetention({ maxAgeMs: days * 86_400_000 }),
      codec: o.codec,
    });
    store.setRetention({ maxAgeMs: settings.retentionDays() * 86_400_000 });
    const resolved = settings.resolved();
    for (const issue of resolved.ignored) logger.warn(issue.message);
    const authOff = resolved.sources.token.layer === 'flag' && resolved.settings.token === null;
    let token = resolved.settings.token;
    const tokenGenerated = token === null && !authOff;
    if (tokenGenerated) {
      token = randomBytes(24).toString('base64url');
      settings.saveToken(token);
    }
    settings.adopt(token);
    // The host may come from stored settings, so this is checked here and not only on the command line.
    const bindProblem = remoteBindProblem({
      host: resolved.settings.host,
      token,
      tls: Boolean(o.engine?.tls),
      insecure: o.insecure ?? false,
    });
    if (bindProblem) throw new ConfigError(bindProblem);

    const skipped = o.configPath ? seedRegistry(store, o.configPath, logger) : [];
    const definitions = store.servers.list().map(({ createdAt: _c, updatedAt: _u, ...def }) => def);
    let telemetry: TelemetryHub | null = null;
    engine = new Engine({
      ...defaultEngineOptions,
      ...engineOptionsFor(resolved.settings),
      ...o.engine,
      servers: definitions,
      token,
      dataDir,
      logger,
      onStderr: (server, line, dropped) => {
        telemetry?.stderr(server, line, dropped);
        logger.child(server).debug(line, { stderr: true });
      },
    });
    const running = engine;
    telemetry = new TelemetryHub(running, { recordTraffic: true, store, logger });
    const logs = telemetry.logs;
    // stderr lines reach the dashboard log through telemetry.stderr (no level hides them); not twice.
    keep = (record) => record.fields?.stderr !== true && logs.sink(record);
    if (token) telemetry.redactor.addSecret(token);
    store.warnings.on((w) => logger.warn(w.message));

    const terminals = o.enableTerminal ? new TerminalManager(resolved.settings.passEnvironment) : null;
    const service = new AppService({
      engine: running,
      store,
      telemetry,
      settings,
      terminals,
      host: o.host,
      dataDir,
      demo: o.demo,
    });
    await running.listen();
    void running.startAll();
    const hub = telemetry;
    return {
      api: service,
      onEvent: eventSource({ engine: running, telemetry: hub, service, store, terminals }),
      engine: running,
      store,
      service,
      telemetry: hub,
      settings,
      logger,
      dataDir,
      token,
      tokenGenerated,
      skipped,
      async stop() {
        terminals?.closeAll();
        service.explorer.dispose();
        await running.stop();
        hub.dispose();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Adds the file's servers to the registry, replacing those it names; servers added in the dashboard stay. */
function seedRegistry(store: Store, path: string, logger: Logger) {
  const { servers, skipped, warnings, notes } = loadMcpServersFile(path);
  for (const line of warnings) logger.warn(line);
  for (const line of notes) logger.info(line);
  for (const spec of servers) {
    const { passEnvironment, ...rest } = spec;
    const existing = store.servers.get(spec.name);
    const def = { ...rest, ...(passEnvironment === undefined ? {} : { options: { passEnvironment } }) };
    const result = existing
      ? store.servers.update(spec.name, {
          ...def,
          // The file decides what it says (enabled/disabled, options); the dashboard keeps the rest.
          enabled: def.enabled ?? existing.enabled,
          options: { ...existing.options, ...def.options },
        })
      : store.servers.add(def);
    if (!result.ok) logger.warn(`${path}: server "${spec.name}" not loaded: ${result.message}`);
  }
  for (const s of skipped) logger.warn(`${path}: skipped "${s.name}": ${s.reason}`);
  return skipped;
}
