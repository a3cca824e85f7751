import { join } from 'node:path';
import { startAppHost, type RunningHost } from '../core/app/host-builder.js';
import { ConfigWatcher, registryTarget } from '../core/config/config-watcher.js';
import { SettingsError } from '../core/config/settings.js';
import { VERSION } from '../core/engine.js';
import { insecureBindWarning } from '../core/gateway/bind-policy.js';
import { createLogger, stderrSink } from '../core/util/logger.js';
import { announceEndpoint } from './commands/endpoint-file.js';
import { packageRoot } from './package-root.js';
import { parseOrExit } from './parse-or-exit.js';
import type { CliSettings } from './settings.js';
import { attachWebBridge, dashboardUrl } from './web-bridge/index.js';

// From the package root: this module runs from src/main/headless/ or, built, from out/cli/.
const demoServer = join(packageRoot().dir, 'resources/demo-server.mjs');
const rendererDir = join(packageRoot().dir, 'out/renderer');

function banner(host: RunningHost, configured: boolean): string {
  const url = host.engine.url;
  const lines = [`MCP Switchboard ${VERSION} listening on ${url}`];
  for (const s of host.engine.servers.values()) {
    const name = encodeURIComponent(s.name);
    lines.push(`  ${s.name}: ${url}/servers/${name}/mcp  (SSE: /servers/${name}/sse)`);
  }
  if (host.engine.servers.size === 0) lines.push('  no servers yet: add one in the dashboard, or pass --config FILE');
  if (host.engine.servers.size === 1) lines.push(`  also at ${url}/mcp and ${url}/sse`);
  if (host.token === null) lines.push('Auth is OFF (--no-auth): any local process can use these servers.');
  else if (configured) lines.push('Clients must send the bearer token you configured.');
  else {
    // Generated once and kept in the data dir, so clients configured with it keep working; shown to be used.
    const why = host.tokenGenerated ? 'generated now and saved' : 'saved';
    lines.push(
      `Clients must send this header (token ${why} in ${host.dataDir}; --token or API_ACCESS_TOKEN set your own):`,
    );
    lines.push(`  Authorization: Bearer ${host.token}`);
  }
  // A configured token (env, secret) stays out of the output; a generated one is part of the sign-in link.
  lines.push(
    `Dashboard: ${dashboardUrl(url, configured ? null : host.token)}${configured ? '?token=<the token you configured>' : ''}`,
  );
  return lines.join('\n') + '\n';
}

/**
 * `switchboard serve`: the registry (seeded from --config), the gateway, and the dashboard at /ui/, with a store
 * in the data dir. Resolves with the exit code once a signal has stopped everything.
 */
export async function serve(
  settings: CliSettings,
  signals: { stopping(): boolean; onStop(fn: () => Promise<void>): void },
) {
  let host: RunningHost;
  try {
    host = await startAppHost({
      host: 'web',
      dataDir: settings.dataDir,
      configPath: settings.configPath,
      env: process.env,
      flags: settings.flags,
      enableTerminal: settings.enableTerminal,
      demo: { command: process.execPath, args: [demoServer] },
      logSink: stderrSink,
      engine: { allowedHosts: settings.allowedHosts, ...(settings.tls ? { tls: settings.tls } : {}) },
      insecure: settings.insecure,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof SettingsError) process.stderr.write(`switchboard: ${e.message}\n`);
    else if (e.code === 'EADDRINUSE' || e.code === 'EACCES')
      process.stderr.write(`switchboard: cannot listen: ${e.message}\n`);
    else process.stderr.write(`switchboard: ${e.message}\n`);
    return e.name === 'ConfigError' || err instanceof SettingsError ? 2 : 1;
  }
  // `serve --config`: edits to the file apply while running; a file that does not load is said on the page.
  const watcher = settings.configPath
    ? new ConfigWatcher({ path: settings.configPath, target: registryTarget(host.service), logger: host.logger })
    : null;
  await watcher?.start();
  const onEvent: RunningHost['onEvent'] = (listener) => {
    const stopHost = host.onEvent(listener);
    const stopProblems = watcher?.problems.on((message) => listener('warning', { message }));
    return () => (stopHost(), stopProblems?.());
  };
  // `switchboard connect` finds this serve through the data dir (the token is already stored there); a token
  // regenerated from the dashboard is recorded too, so bridges pick it up when they reconnect.
  const endpoint = announceEndpoint({ dataDir: host.dataDir, url: host.engine.url, token: host.token, api: host.api });
  const api = endpoint.api;
  const bridge = attachWebBridge(
    host.engine.gateway,
    { ...host, api, onEvent },
    {
      rendererDir,
      enableTerminal: settings.enableTerminal,
      logger: host.logger,
    },
  );
  process.on('exit', () => host.engine.killNow());
  host.engine.stateChanges.on((c) => {
    if (c.state === 'failed') host.logger.error(`server "${c.server}" failed: ${c.reason}`);
  });
  signals.onStop(async () => {
    endpoint.withdraw();
    watcher?.close();
    bridge.close();
    await host.stop();
  });
  const configured = settings.flags.token !== undefined || Boolean(process.env.API_ACCESS_TOKEN);
  if (!signals.stopping()) process.stdout.write(banner(host, configured && host.token !== null));
  const exposure = insecureBindWarning({
    host: host.engine.options.host,
    token: host.token,
    tls: settings.tls !== undefined,
    insecure: settings.insecure,
  });
  if (exposure && !signals.stopping()) process.stdout.write(`${exposure}\n`);
  return 0;
}

/** `switchboard serve`, with the same signal handling as `run`: set up first, so a signal during start-up still stops it. */
export async function main(argv: string[]): Promise<number> {
  const settings = parseOrExit(argv);
  if (typeof settings === 'number') return settings;
  let stopping = false;
  let stopFn: (() => Promise<void>) | null = null;
  let resolveStopped: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));
  const logger = createLogger(settings.logLevel, stderrSink);
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping every server`);
    if (!stopFn) return; // still starting: stopped right after start-up
    stopFn().then(
      () => resolveStopped(0),
      (err: Error) => {
        process.stderr.write(`switchboard: stopping failed: ${err.stack ?? err}\n`);
        resolveStopped(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const code = await serve(settings, {
    stopping: () => stopping,
    onStop: (fn) => {
      stopFn = fn;
    },
  });
  if (code !== 0) return code;
  if (stopping) {
    stopping = false;
    stop('signal during start-up');
  }
  return stopped;
}
