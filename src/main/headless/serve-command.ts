import { fileURLToPath } from 'node:url';
import { startAppHost, type RunningHost } from '../core/app/host-builder.js';
import { SettingsError } from '../core/config/settings.js';
import { VERSION } from '../core/engine.js';
import { insecureBindWarning } from '../core/gateway/bind-policy.js';
import { stderrSink } from '../core/util/logger.js';
import type { CliSettings } from './settings.js';
import { attachWebBridge, builtRendererDir, dashboardUrl } from './web-bridge/index.js';

const demoServer = fileURLToPath(new URL('../../../resources/demo-server.mjs', import.meta.url));

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
  const bridge = attachWebBridge(host.engine.gateway, host, {
    rendererDir: builtRendererDir,
    enableTerminal: settings.enableTerminal,
    logger: host.logger,
  });
  process.on('exit', () => host.engine.killNow());
  host.engine.stateChanges.on((c) => {
    if (c.state === 'failed') host.logger.error(`server "${c.server}" failed: ${c.reason}`);
  });
  signals.onStop(async () => {
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
