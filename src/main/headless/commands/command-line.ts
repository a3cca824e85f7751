import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A developer command's own options and the server command after `--`, or why they cannot be used. */
export type Parsed<V> =
  { ok: true; values: V; positionals: string[]; commandLine: string[] } | { ok: false; message: string };

/**
 * Splits `switchboard <cmd> [options] -- COMMAND ARGS`: options before `--` are parsed strictly, everything after
 * goes to the server verbatim (never through a shell). The command word itself is dropped.
 */
export function splitCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  name: string,
): Parsed<ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>['values']> {
  const dashdash = argv.indexOf('--');
  const own = (dashdash === -1 ? argv : argv.slice(0, dashdash)).filter((a, i) => !(i === 0 && a === name));
  const commandLine = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  try {
    const { values, positionals } = parseArgs({ args: own, options, allowPositionals: true, strict: true });
    if (commandLine.length === 0) return { ok: false, message: `${name} needs the server's command after --` };
    return { ok: true, values, positionals, commandLine };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** `--env K=V` pairs as an object, or the first malformed one. */
export function envPairs(pairs: string[] | undefined): Record<string, string> | string {
  const env: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `--env ${pair}: expected KEY=VALUE`;
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
