import { engineOptionsFor } from '../core/config/settings.js';
import { urlSafeName, type ServerSpec } from '../core/config/server-config.js';
import { Engine, VERSION, defaultEngineOptions } from '../core/engine.js';
import { insecureBindWarning } from '../core/gateway/bind-policy.js';
import { createLogger, stderrSink } from '../core/util/logger.js';
import { parseOrExit } from './parse-or-exit.js';
import type { CliSettings } from './settings.js';

function serversFor(settings: CliSettings): ServerSpec[] {
  const [command, ...args] = settings.commandLine;
  return [{ name: urlSafeName(settings.name), command: command!, args, env: settings.env }];
}

function banner(engine: Engine, settings: CliSettings): string {
  const lines = [`MCP Switchboard ${VERSION} listening on ${engine.url}`];
  for (const s of engine.servers.values()) {
    lines.push(
      `  ${s.name}: ${engine.url}/servers/${encodeURIComponent(s.name)}/mcp  (SSE: /servers/${encodeURIComponent(s.name)}/sse)`,
    );
  }
  if (engine.servers.size === 1) lines.push(`  also at ${engine.url}/mcp and ${engine.url}/sse`);
  if (settings.token === null) lines.push('Auth is OFF (--no-auth): any local process can use these servers.');
  else if (settings.tokenGenerated) {
    // Printed once, here, so the user can copy it; it is never logged.
    lines.push(`Clients must send this header (generated for this run; pass --token or API_ACCESS_TOKEN to fix it):`);
    lines.push(`  Authorization: Bearer ${settings.token}`);
  } else lines.push('Clients must send the bearer token you configured.');
  const exposure = insecureBindWarning({ ...settings, tls: settings.tls !== undefined });
  if (exposure) lines.push(exposure);
  return lines.join('\n') + '\n';
}

/** `switchboard run [options] -- COMMAND ARGS`: one stdio server over the gateway, no store. Resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const settings = parseOrExit(argv);
  if (typeof settings === 'number') return settings;

  const logger = createLogger(settings.logLevel, stderrSink);
  let servers: ServerSpec[];
  try {
    servers = serversFor(settings);
  } catch (err) {
    process.stderr.write(`switchboard: ${(err as Error).message}\n`);
    return 2;
  }
  const engine = new Engine({
    ...defaultEngineOptions,
    ...engineOptionsFor(settings.settings),
    servers,
    token: settings.token,
    allowedHosts: settings.allowedHosts,
    dataDir: settings.dataDir,
    logger,
    ...(settings.tls ? { tls: settings.tls } : {}),
  });
  engine.stateChanges.on((c) => {
    if (c.state === 'failed') logger.error(`server "${c.server}" failed: ${c.reason}`);
  });
  process.on('exit', () => engine.killNow());
  // Signals are handled before any child starts: a SIGTERM or Ctrl-C while a server is still in its handshake
  // must stop it too, not end this process by Node's default action and leave the child's group behind.
  let stopping = false;
  const stopped = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      // Ctrl-C may arrive two or three times (terminal, npm, start script): shut down once.
      if (stopping) return;
      stopping = true;
      logger.info(`${signal}: stopping every server`);
      engine.stop().then(
        () => resolve(0),
        (err: Error) => {
          logger.error(`stopping failed: ${err.stack ?? err}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  try {
    await engine.listen();
  } catch (err) {
    if (stopping) return stopped;
    process.stderr.write(
      `switchboard: cannot listen on ${settings.host}:${settings.port}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  if (!stopping) {
    process.stdout.write(banner(engine, settings));
    void engine.startAll();
  }
  return stopped;
}
