import { SettingsError, UsageError, resolveSettings, usage, type CliSettings } from './settings.js';

/**
 * Resolves a subcommand's settings, or says in one line why it cannot and gives the exit code (2). A command line
 * it cannot parse is followed by the usage text; a bad value only names the flag or variable and the expected
 * form, since the usage text would bury that line.
 */
export function parseOrExit(argv: string[], env: NodeJS.ProcessEnv = process.env): CliSettings | number {
  try {
    return resolveSettings(argv, env);
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`switchboard: ${err.message}\n`);
      return 2;
    }
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`switchboard: ${err.message}\n\n${usage}`);
    return 2;
  }
}
