// `run` and `serve` resolve settings with one resolver (core/config/settings.ts): the same variables and flags,
// the same precedence, and the same answer to a bad value, a one-line error naming it and the form expected, and
// exit 2. The real CLI as a child process, as in cli.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settingDefinitions } from '../src/main/core/config/settings.js';
import { usage } from '../src/main/headless/usage.js';
import { fixtureServer } from './helpers/engine.js';
import { spawnCli, stopAllClis, withDeadline, type CliRun } from './helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-settings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Command = 'run' | 'serve';

function argsFor(command: Command, extra: string[], server: string[] = [fixtureServer]): string[] {
  if (command === 'run') return ['run', '--port', '0', '--no-auth', ...extra, '--', process.execPath, ...server];
  const config = join(dir, `servers-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(config, JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: server } } }));
  return ['serve', '--port', '0', '--no-auth', '--config', config, ...extra];
}

/** stderr without bin/switchboard's note that it runs the sources (a checkout whose build is missing or older). */
function ownLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !/running the TypeScript sources through tsx/.test(line));
}

// One of each kind (a number, a port, a runtime setting, a CLI-only list) per command; every setting's parsing
// is covered without processes in config-settings.test.ts.
const bad: Array<[string, string[], Record<string, string>, string]> = [
  [
    'TRANSPORT_MAX_PROCESSES=abc',
    [],
    { TRANSPORT_MAX_PROCESSES: 'abc' },
    'TRANSPORT_MAX_PROCESSES=abc is not a whole number ≥ 1',
  ],
  ['--max-processes 0', ['--max-processes', '0'], {}, '--max-processes 0 is not a whole number ≥ 1'],
  ['--port 99999', ['--port', '99999'], {}, '--port 99999 is not a port number (0–65535)'],
  [
    'SWITCHBOARD_MESSAGE_TIMEOUT_MS=soon',
    [],
    { SWITCHBOARD_MESSAGE_TIMEOUT_MS: 'soon' },
    'SWITCHBOARD_MESSAGE_TIMEOUT_MS=soon is not a whole number of milliseconds ≥ 1',
  ],
  ['--allow-host with a port', ['--allow-host', 'svc:8808'], {}, '--allow-host svc:8808 is not a host name'],
];

describe('the usage text', () => {
  // usage.ts has no imports (so --help loads nothing), hence written by hand: this keeps it complete.
  it('names every setting flag and every variable with a fixed name', () => {
    for (const def of Object.values(settingDefinitions)) {
      expect(usage).toContain(def.flag);
      if (!def.env.startsWith('SWITCHBOARD_')) expect(usage).toContain(def.env);
    }
    expect(usage).toContain('SWITCHBOARD_<NAME>');
  });
});

// One at a time: each is a whole Node start, and two cores are shared with everything else.
describe('a bad value is one line naming it and the form expected, exit 2, in run and serve alike', () => {
  const cases = bad.flatMap(([name, flags, env, message]) =>
    (['run', 'serve'] as const).map((command) => [`${command}: ${name}`, command, flags, env, message] as const),
  );
  it.for(cases)('%s', { timeout: 60_000 }, async ([, command, flags, env, message]) => {
    const cli = spawnCli(argsFor(command, flags), env);
    expect(await withDeadline(cli.exited, 30_000, 'the CLI to exit')).toEqual({ code: 2, signal: null });
    const lines = ownLines(cli.stderr);
    expect(lines, cli.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^switchboard: /);
    expect(lines[0]).toContain(message);
    expect(cli.stdout).toBe('');
  });
});

describe('run and serve read the same runtime settings, flags over the environment', () => {
  afterEach(stopAllClis);

  /** Resolves with the stderr line once it appears; the CLI's exit or the deadline fails the wait. */
  async function stderrLine(cli: CliRun, pattern: RegExp, ms = 45_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = ownLines(cli.stderr).find((l) => pattern.test(l));
      if (line) return line;
      if (cli.child.exitCode !== null) throw new Error(`the CLI exited first:\n${cli.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} on stderr within ${ms} ms:\n${cli.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // The server never answers initialize. With the default handshake timeout (10 s) and five attempts it would be
  // marked failed after about a minute; the settings below make that one attempt of 300 ms, so "failed" shows
  // that each setting reached the engine, from the layer the test expects.
  const hang = [fixtureServer, '--hang-initialize'];
  it.for<[Command, string]>([
    ['run', 'environment'],
    ['serve', 'environment'],
    ['run', 'flag over environment'],
    ['serve', 'flag over environment'],
  ])('%s: handshake timeout and attempts from the %s', { timeout: 60_000 }, async ([command, layer]) => {
    const env =
      layer === 'environment'
        ? { SWITCHBOARD_CONNECTION_TIMEOUT_MS: '300', SWITCHBOARD_MAX_RECONNECT_ATTEMPTS: '1' }
        : { SWITCHBOARD_CONNECTION_TIMEOUT_MS: '600000', SWITCHBOARD_MAX_RECONNECT_ATTEMPTS: '50' };
    const flags = layer === 'environment' ? [] : ['--connection-timeout-ms', '300', '--max-reconnect-attempts', '1'];
    const cli = spawnCli(argsFor(command, flags, hang), env);
    const line = await stderrLine(cli, /server "[^"]+" failed/);
    expect(line).toMatch(/failed/);
    expect((await cli.stop('SIGTERM')).code).toBe(0);
  });
});
