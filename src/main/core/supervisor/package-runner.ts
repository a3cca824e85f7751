/**
 * Commands that fetch a package before running it (`npx -y pkg`, `uvx pkg`, `pnpm dlx pkg`, `bunx pkg` …). Their
 * first run downloads and installs, which can take minutes: far longer than a server needs to answer `initialize`
 * once installed. The supervisor gives such a start the install allowance instead of the handshake timeout.
 */

/** Runners that always fetch: the command's own name is enough. */
const RUNNERS = new Set(['npx', 'uvx', 'bunx', 'pnpx', 'pipx']);

/** Package managers that fetch only through one subcommand: `pnpm dlx`, `yarn dlx`, `npm exec`, `uv tool run`. */
const SUBCOMMANDS: Record<string, string[][]> = {
  pnpm: [['dlx']],
  yarn: [['dlx']],
  npm: [['exec'], ['x']],
  bun: [['x']],
  uv: [['tool', 'run'], ['run']],
  pipx: [['run']],
  deno: [['run']],
};

/** `npx`, `/usr/local/bin/npx`, `C:\…\npx.cmd` all name the same runner. */
function baseName(command: string): string {
  const last = command.split(/[\\/]/).pop() ?? command;
  return last.replace(/\.(cmd|bat|exe|ps1)$/i, '').toLowerCase();
}

/** The runner's name (`npx`, `pnpm dlx`, …) when `command args` runs a package that may need installing. */
export function packageRunnerOf(command: string, args: readonly string[]): string | null {
  const base = baseName(command);
  // Windows configs wrap the runner: `cmd /c npx -y pkg`.
  if (base === 'cmd' && /^\/c$/i.test(args[0] ?? '') && args[1]) return packageRunnerOf(args[1], args.slice(2));
  if (RUNNERS.has(base)) return base;
  // The subcommand is the first argument that is not an option (`pnpm --silent dlx pkg`).
  const words = args.filter((a) => !a.startsWith('-'));
  for (const sub of SUBCOMMANDS[base] ?? []) {
    if (sub.every((word, i) => words[i] === word)) return `${base} ${sub.join(' ')}`;
  }
  return null;
}
