import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ChangeWatcher, defaultWatchPath } from '../../core/devloop/change-watcher.js';
import { formatChanges } from '../../core/devloop/schema-diff.js';
import { SchemaWatcher } from '../../core/devloop/schema-watcher.js';
import { engineOptionsFor } from '../../core/config/settings.js';
import { urlSafeName } from '../../core/config/server-config.js';
import { Engine, VERSION, defaultEngineOptions } from '../../core/engine.js';
import { MemorySchemaRunStore, type SchemaRun } from '../../core/store/schema-run-repository.js';
import { createLogger, stderrSink } from '../../core/util/logger.js';
import { parseOrExit } from '../parse-or-exit.js';

export const devUsage = `Usage:
  switchboard dev [--watch PATH]... [run's options] -- COMMAND [ARGS...]

Serves one stdio server like "run" and restarts it whenever a watched file changes (default: the folder of the
first argument that is a file, else the working directory; node_modules, .git, dist, build and out are ignored),
printing what changed in its tools, resources, templates and prompts after each restart. Connected clients stay
connected: a call in flight during a restart gets an error, the next one reaches the new process.
`;

/** Takes `--watch P` / `--watch=P` out of the options before `--`; the rest is a `run` command line. */
function splitWatch(argv: string[]): { watch: string[]; rest: string[] } | string {
  const dashdash = argv.indexOf('--');
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const watch: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const arg = own[i]!;
    if (arg === '--watch') {
      const value = own[++i];
      if (value === undefined || value.startsWith('-')) return '--watch needs a path';
      watch.push(value);
    } else if (arg.startsWith('--watch=')) watch.push(arg.slice('--watch='.length));
    else rest.push(arg === 'dev' && !rest.some((a) => !a.startsWith('-')) ? 'run' : arg);
  }
  return { watch, rest: dashdash === -1 ? rest : [...rest, ...argv.slice(dashdash)] };
}

function describeRun(run: SchemaRun): string {
  if (run.first) {
    const { tools, resources, resourceTemplates, prompts } = run.snapshot;
    return `dev: "${run.server}" is up: ${tools.length} tools, ${resources.length} resources, ${resourceTemplates.length} resource templates, ${prompts.length} prompts\n`;
  }
  return `dev: "${run.server}" restarted; changes since the last run:\n${formatChanges(run.changes)}`;
}

/** `switchboard dev`: resolves with the exit code once a signal has stopped it. */
export async function main(argv: string[]): Promise<number> {
  const split = splitWatch(argv);
  if (typeof split === 'string') return usageError(split);
  const settings = parseOrExit(split.rest);
  if (typeof settings === 'number') return settings;
  const cwd = process.cwd();
  const paths = split.watch.length
    ? split.watch.map((p) => resolve(cwd, p))
    : [defaultWatchPath(settings.commandLine, cwd)];
  const missing = paths.find((p) => !existsSync(p));
  if (missing) return usageError(`--watch ${missing}: no such file or folder`);

  const logger = createLogger(settings.logLevel, stderrSink);
  const name = urlSafeName(settings.name);
  const [command, ...args] = settings.commandLine;
  let engine: Engine;
  try {
    engine = new Engine({
      ...defaultEngineOptions,
      ...engineOptionsFor(settings.settings),
      servers: [{ name, command: command!, args, env: settings.env }],
      token: settings.token,
      allowedHosts: settings.allowedHosts,
      dataDir: settings.dataDir,
      logger,
      ...(settings.tls ? { tls: settings.tls } : {}),
    });
  } catch (err) {
    process.stderr.write(`switchboard dev: ${(err as Error).message}\n`);
    return 2;
  }
  // Runs are compared within this session: a dev loop starts from the interface as it is now.
  const schema = new SchemaWatcher(engine, new MemorySchemaRunStore(), logger);
  schema.runs.on((run) => process.stdout.write(describeRun(run)));
  engine.stateChanges.on((c) => {
    if (c.state === 'failed') process.stdout.write(`dev: "${name}" failed: ${c.reason}; save a file to try again\n`);
  });

  let restarting: Promise<void> | null = null;
  let again = false;
  const restart = (files: string[]) => {
    process.stdout.write(
      `dev: changed ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}; restarting "${name}"\n`,
    );
    if (restarting) return void (again = true); // one more restart once this one is done, however many saves
    restarting = engine
      .restartServer(name)
      .catch((err: Error) => void process.stdout.write(`dev: "${name}" did not start: ${err.message}\n`))
      .finally(() => {
        restarting = null;
        if (again) {
          again = false;
          restart(['(more changes)']);
        }
      });
  };
  const watcher = new ChangeWatcher({
    paths,
    onChange: restart,
    onError: (err) => logger.warn(`watching files failed: ${err.message}`),
  });

  process.on('exit', () => engine.killNow());
  let stopping = false;
  const stopped = new Promise<number>((resolveStop) => {
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal}: stopping`);
      watcher.close();
      schema.dispose();
      engine.stop().then(
        () => resolveStop(0),
        (err: Error) => {
          logger.error(`stopping failed: ${err.stack ?? err}`);
          resolveStop(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  try {
    await engine.listen();
  } catch (err) {
    watcher.close();
    if (stopping) return stopped;
    process.stderr.write(
      `switchboard: cannot listen on ${settings.host}:${settings.port}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  if (!stopping) {
    const url = engine.url;
    const lines = [
      `MCP Switchboard ${VERSION} listening on ${url}`,
      `  ${name}: ${url}/servers/${encodeURIComponent(name)}/mcp  (SSE: /servers/${encodeURIComponent(name)}/sse)`,
      `  also at ${url}/mcp and ${url}/sse`,
    ];
    if (settings.token === null) lines.push('Auth is OFF (--no-auth): any local process can use this server.');
    else if (settings.tokenGenerated) {
      // Printed once, here, so the user can copy it; it is never logged.
      lines.push('Clients must send this header (generated for this run; pass --token or API_ACCESS_TOKEN to fix it):');
      lines.push(`  Authorization: Bearer ${settings.token}`);
    } else lines.push('Clients must send the bearer token you configured.');
    lines.push(`Watching ${paths.join(', ')}: "${name}" restarts when a file changes`);
    process.stdout.write(lines.join('\n') + '\n');
    void engine.startAll();
  }
  return stopped;
}

function usageError(message: string): number {
  process.stderr.write(`switchboard dev: ${message}\n\n${devUsage}`);
  return 2;
}
