// The `switchboard` command: a small dispatcher. Each subcommand lives in its own module, imported only when it
// runs, so `--help` loads nothing but this file and usage.ts, `run` loads no store, telemetry or web bridge, and
// only `serve` opens SQLite. A new subcommand is one line in `commands` (and its line in usage.ts).
// First, before any other module: V8 tuning that makes the first calls fast (see jit-warmup.ts).
import '../core/util/jit-warmup.js';
import { UsageError, usage } from './usage.js';

/** A subcommand module: `main` gets the whole argv (the command's name first) and resolves with the exit code. */
export interface Subcommand {
  main(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Subcommand>> = {
  connect: () => import('./commands/connect.js'),
  dev: () => import('./commands/dev.js'),
  lint: () => import('./commands/lint.js'),
  replay: () => import('./commands/replay.js'),
  run: () => import('./run-command.js'),
  serve: () => import('./serve-command.js'),
  version: () => import('./version-command.js'),
};

/** Commands with options of their own: `switchboard COMMAND --help` prints their usage. */
const ownHelp: Record<string, () => Promise<string>> = {
  dev: async () => (await import('./commands/dev.js')).devUsage,
  lint: async () => (await import('./commands/lint.js')).lintUsage,
  replay: async () => (await import('./commands/replay.js')).replayUsage,
  connect: async () => (await import('./commands/connect.js')).connectUsage,
};

/** The subcommand a command line asks for: the first word that is not an option (before any `--`). */
function commandOf(argv: string[]): string {
  const dashdash = argv.indexOf('--');
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const word = own.find((a) => !a.startsWith('-'));
  if (own.includes('--help') || own.includes('-h')) return word && word in ownHelp ? `${word} help` : 'help';
  if (own.includes('--version') || own.includes('-v')) return 'version';
  if (word !== undefined) return word;
  if (own.length === 0) return 'help';
  throw new UsageError(`a command comes first: switchboard ${Object.keys(commands).join('|')} [options]`);
}

async function main(argv: string[]): Promise<number> {
  let name: string;
  try {
    name = commandOf(argv);
    if (name === 'help') return (void process.stdout.write(usage), 0);
    if (name.endsWith(' help')) return (void process.stdout.write(await ownHelp[name.slice(0, -5)]!()), 0);
    if (!Object.hasOwn(commands, name)) throw new UsageError(`unknown command "${name}"`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`switchboard: ${err.message}\n\n${usage}`);
    return 2;
  }
  const command = await commands[name]!();
  return command.main(argv);
}

process.exitCode = await main(process.argv.slice(2));
process.exit();
