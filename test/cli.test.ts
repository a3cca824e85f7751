// The real CLI (`node bin/switchboard`: the build in out/cli, or the sources through tsx) as a child process: banner, both transports through
// `run`, auth, environment variables vs flags, `serve --config`, signals, and usage errors. No sleeps: every wait
// is for a banner line, a /health document or an exit, with a deadline.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { textOf, type TransportKind } from './helpers/clients.js';
import { fixtureServer } from './helpers/engine.js';
import {
  alive,
  bannerUrl,
  connectAt,
  spawnCli,
  stopAllClis,
  waitForRunning,
  withDeadline,
  type Health,
} from './helpers/cli.js';

const fixtureCommand = ['node', 'test/fixtures/fixture-server.mjs'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** A port that is listening (held by this test) or was free a moment ago. */
function listenOnFreePort(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server }));
  });
}

async function freePort(): Promise<number> {
  const { port, server } = await listenOnFreePort();
  await new Promise((r) => server.close(r));
  return port;
}

async function status(url: string, token?: string): Promise<number> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  await res.arrayBuffer();
  return res.status;
}

async function echoThrough(endpoint: string, kind: TransportKind, token: string | null, message: string) {
  const client = await connectAt(endpoint, kind, token);
  try {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    return textOf(await client.callTool({ name: 'echo', arguments: { message } }));
  } finally {
    await client.close();
  }
}

async function childEnv(endpoint: string, token: string | null): Promise<Record<string, string>> {
  const client = await connectAt(endpoint, 'streamable', token);
  try {
    return JSON.parse(textOf(await client.callTool({ name: 'env', arguments: {} }))) as Record<string, string>;
  } finally {
    await client.close();
  }
}

describe('switchboard run', () => {
  afterEach(stopAllClis);

  it('--port 0 prints the real URL; Streamable HTTP (/mcp) and SSE (/sse) clients list and call tools', async () => {
    const cli = spawnCli(['run', '--port', '0', '--no-auth', '--', ...fixtureCommand]);
    const url = await bannerUrl(cli);
    const port = Number(new URL(url).port);
    expect(port).toBeGreaterThan(0);
    await cli.waitForStdout(/Auth is OFF/);
    expect(cli.stdout).toContain(`fixture-server: ${url}/servers/fixture-server/mcp`);
    expect(cli.stdout).toContain(`also at ${url}/mcp and ${url}/sse`);

    expect(await echoThrough(`${url}/mcp`, 'streamable', null, 'over streamable')).toBe('fixture: over streamable');
    expect(await echoThrough(`${url}/sse`, 'sse', null, 'over sse')).toBe('fixture: over sse');
    expect(await echoThrough(`${url}/servers/fixture-server/mcp`, 'streamable', null, 'named')).toBe('fixture: named');
    expect(await echoThrough(`${url}/servers/fixture-server/sse`, 'sse', null, 'named sse')).toBe('fixture: named sse');

    const info = (await (await fetch(`${url}/info`)).json()) as { auth: string; servers: Array<{ name: string }> };
    expect(info.auth).toBe('none');
    expect(info.servers.map((s) => s.name)).toEqual(['fixture-server']);
  });

  it('with auth on and no token, prints a generated token once; it works and a wrong one gets 401', async () => {
    const cli = spawnCli(['run', '--port', '0', '--', ...fixtureCommand]);
    const url = await bannerUrl(cli);
    const [, token] = await cli.waitForStdout(/\n {2}Authorization: Bearer (\S+)\n/);
    expect(token!.length).toBeGreaterThanOrEqual(24);
    expect(cli.stdout.split(token!).length - 1).toBe(1); // printed once

    expect(await echoThrough(`${url}/mcp`, 'streamable', token!, 'with token')).toBe('fixture: with token');
    expect(await echoThrough(`${url}/sse`, 'sse', token!, 'sse with token')).toBe('fixture: sse with token');
    expect(await status(`${url}/info`, token)).toBe(200);
    expect(await status(`${url}/info`, 'wrong-token')).toBe(401);
    expect(await status(`${url}/info`)).toBe(401);
    await expect(connectAt(`${url}/mcp`, 'streamable', 'wrong-token')).rejects.toThrow();

    // A second run generates a different token.
    const other = spawnCli(['run', '--port', '0', '--', ...fixtureCommand]);
    const [, otherToken] = await other.waitForStdout(/\n {2}Authorization: Bearer (\S+)\n/);
    expect(otherToken).not.toBe(token);

    expect(await cli.stop()).toEqual({ code: 0, signal: null });
    expect(cli.stderr).not.toContain(token); // never logged
  });

  it('honours TRANSPORT_SSE_PORT and API_ACCESS_TOKEN; the token never reaches the child', async () => {
    const port = await freePort();
    const envToken = 'env-token-0123456789abcdef';
    const cli = spawnCli(['run', '--', ...fixtureCommand], {
      TRANSPORT_SSE_PORT: String(port),
      API_ACCESS_TOKEN: envToken,
    });
    const url = await bannerUrl(cli);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    await cli.waitForStdout(/Clients must send the bearer token you configured\./);
    expect(cli.stdout).not.toContain(envToken);

    expect(await status(`${url}/info`, envToken)).toBe(200);
    expect(await status(`${url}/info`, 'wrong')).toBe(401);
    const env = await childEnv(`${url}/mcp`, envToken);
    expect(env.API_ACCESS_TOKEN).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain(envToken);
    expect(cli.stderr).not.toContain(envToken);
  });

  it('flags win over TRANSPORT_SSE_PORT and API_ACCESS_TOKEN', async () => {
    // The environment names a port this test holds: were it used, the CLI could not listen.
    const held = await listenOnFreePort();
    try {
      const cli = spawnCli(['run', '--port', '0', '--token', 'flag-token-xyz', '--', ...fixtureCommand], {
        TRANSPORT_SSE_PORT: String(held.port),
        API_ACCESS_TOKEN: 'env-token-xyz',
      });
      const url = await bannerUrl(cli);
      expect(Number(new URL(url).port)).not.toBe(held.port);
      expect(await status(`${url}/info`, 'flag-token-xyz')).toBe(200);
      expect(await status(`${url}/info`, 'env-token-xyz')).toBe(401);
      expect(await echoThrough(`${url}/mcp`, 'streamable', 'flag-token-xyz', 'flag')).toBe('fixture: flag');

      const noAuth = spawnCli(['run', '--port', '0', '--no-auth', '--', ...fixtureCommand], {
        API_ACCESS_TOKEN: 'env-token-xyz',
      });
      const noAuthUrl = await bannerUrl(noAuth);
      await noAuth.waitForStdout(/Auth is OFF/);
      expect(await status(`${noAuthUrl}/info`)).toBe(200);
    } finally {
      await new Promise((r) => held.server.close(r));
    }
  });

  it('exits 1 naming the address when the port is taken', async () => {
    const held = await listenOnFreePort();
    try {
      const cli = spawnCli(['run', '--port', String(held.port), '--no-auth', '--', ...fixtureCommand]);
      expect(await cli.exited).toEqual({ code: 1, signal: null });
      expect(cli.stderr).toContain(`cannot listen on 127.0.0.1:${held.port}`);
      expect(cli.stdout).not.toContain('listening');
    } finally {
      await new Promise((r) => held.server.close(r));
    }
  });
});

describe('switchboard serve --config', () => {
  afterEach(stopAllClis);

  function twoServers(): string {
    return writeConfig('two.json', {
      mcpServers: {
        alpha: { command: process.execPath, args: [fixtureServer, '--name', 'alpha'] },
        'my server': { command: process.execPath, args: [fixtureServer, '--name', 'my server'] },
        remote: { url: 'https://example.com/mcp' },
      },
    });
  }

  it('serves every stdio server at /servers/<name>/… and all of them at /mcp; url entries skipped; names URL-safe', async () => {
    const cli = spawnCli(['serve', '--config', twoServers(), '--port', '0', '--no-auth']);
    const url = await bannerUrl(cli);
    await cli.waitForStdout(/Auth is OFF/);
    expect(cli.stdout).toContain(`alpha: ${url}/servers/alpha/mcp`);
    expect(cli.stdout).toContain(`my-server: ${url}/servers/my-server/mcp`);
    expect(cli.stdout).not.toContain('also at');
    expect(cli.stderr).toMatch(/skipped "remote": remote server \(url\)/);
    await waitForRunning(url, ['alpha', 'my-server']);

    expect(await echoThrough(`${url}/servers/alpha/mcp`, 'streamable', null, 'a')).toBe('alpha: a');
    expect(await echoThrough(`${url}/servers/my-server/mcp`, 'streamable', null, 'b')).toBe('my server: b');
    expect(await echoThrough(`${url}/servers/my-server/sse`, 'sse', null, 'c')).toBe('my server: c');

    // Several servers: /mcp is all of them as one, colliding names prefixed with their server.
    const aggregate = await connectAt(`${url}/mcp`, 'streamable', null);
    const names = (await aggregate.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['alpha__echo', 'my-server__echo']));
    expect(textOf(await aggregate.callTool({ name: 'my-server__echo', arguments: { message: 'd' } }))).toBe(
      'my server: d',
    );
    await aggregate.close();
    expect(await status(`${url}/servers/remote/mcp`)).toBe(404);
    const info = (await (await fetch(`${url}/info`)).json()) as { servers: Array<{ name: string }> };
    expect(info.servers.map((s) => s.name)).toEqual(['alpha', 'my-server']);
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGTERM', 1],
    ['SIGINT', 1],
    ['SIGINT', 2],
  ])('%s (sent %i×) → exit 0 and every child process is gone', async (signal, times) => {
    const cli = spawnCli(['serve', '--config', twoServers(), '--port', '0', '--no-auth']);
    const url = await bannerUrl(cli);
    const health = await waitForRunning(url, ['alpha', 'my-server']);
    const pids = Object.values(health.servers).map((s) => s.pid!);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(true);

    for (let i = 0; i < times; i++) cli.child.kill(signal);
    expect(await withDeadline(cli.exited, 10_000, 'the CLI to exit')).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(alive(pid), `child ${pid}`).toBe(false);
    expect(cli.stderr).toContain(`${signal}: stopping every server`);
  });

  it('SIGTERM while a server is still in its handshake → exit 0, its whole process group gone', async () => {
    // The child never answers initialize and leaves a grandchild that ignores SIGTERM in its process group.
    const pidFile = join(dir, 'grandchild.pid');
    const config = writeConfig('hang.json', {
      mcpServers: {
        hang: {
          command: process.execPath,
          args: [fixtureServer, '--hang-initialize', '--grandchild', '--pid-file', pidFile],
        },
      },
    });
    const cli = spawnCli(['serve', '--config', config, '--port', '0', '--no-auth']);
    const url = await bannerUrl(cli);
    const deadline = Date.now() + 10_000;
    let grandchild = NaN;
    while (!(grandchild > 0)) {
      if (Date.now() > deadline) throw new Error(`no grandchild pid file\nstderr: ${cli.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
      grandchild = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
    }
    const health = (await (await fetch(`${url}/health`)).json()) as Health;
    expect(health.servers.hang!.state).toBe('starting');
    const child = health.servers.hang!.pid!;
    expect(alive(child)).toBe(true);

    cli.child.kill('SIGTERM');
    expect(await withDeadline(cli.exited, 15_000, 'the CLI to exit')).toEqual({ code: 0, signal: null });
    expect(alive(child), `child ${child}`).toBe(false);
    expect(alive(grandchild), `grandchild ${grandchild}`).toBe(false);
  });

  it('a server that cannot start does not stop the others', async () => {
    const config = writeConfig('one-bad.json', {
      mcpServers: {
        good: { command: process.execPath, args: [fixtureServer, '--name', 'good'] },
        missing: { command: 'no-such-command-switchboard-test' },
      },
    });
    const cli = spawnCli(['serve', '--config', config, '--port', '0', '--no-auth']);
    const url = await bannerUrl(cli);
    await waitForRunning(url, ['good']);
    expect(await echoThrough(`${url}/servers/good/mcp`, 'streamable', null, 'ok')).toBe('good: ok');
  });
});

describe.concurrent('usage and configuration errors exit 2 with a message', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['run without a command', ['run', '--port', '0'], {}, /run needs a command after --/],
    ['run with nothing after --', ['run', '--'], {}, /run needs a command after --/],
    ['an unknown command', ['frobnicate'], {}, /unknown command "frobnicate"/],
    ['an unknown option', ['run', '--frob', '--', 'x'], {}, /Unknown option '--frob'/],
    ['--token with --no-auth', ['run', '--token', 't', '--no-auth', '--', 'x'], {}, /contradict/],
    ['--env without =', ['run', '--env', 'NOPE', '--', 'x'], {}, /--env NOPE: expected KEY=VALUE/],
  ];

  it.for(cases)('%s', async ([, args, env, message], { expect }) => {
    const cli = spawnCli(args, env);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr).toMatch(message);
    expect(cli.stderr).toContain('Usage:');
    expect(cli.stdout).toBe('');
  });

  it.for<[string, () => string, RegExp]>([
    ['a missing config file', () => join(dir, 'nope.json'), /does not exist/],
    ['a config file that is not JSON', () => writeConfig('bad.json', '{ "mcpServers": '), /is not valid JSON/],
    ['a config file without mcpServers', () => writeConfig('empty.json', { servers: {} }), /mcpServers/],
    [
      'a config entry with bad args',
      () => writeConfig('args.json', { mcpServers: { x: { command: 'node', args: 'a b' } } }),
      /server "x": args/,
    ],
  ])('%s (naming the file)', async ([, makePath, message], { expect }) => {
    const path = makePath();
    const cli = spawnCli(['serve', '--config', path, '--port', '0']);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr).toContain(path);
    expect(cli.stderr).toMatch(message);
    expect(cli.stdout).not.toContain('listening');
  });

  it('serve without --config starts with the saved registry (empty here) and prints the dashboard link', async ({
    expect,
  }) => {
    const cli = spawnCli(['serve', '--port', '0']);
    const url = await bannerUrl(cli);
    await cli.waitForStdout(/Dashboard: /);
    expect(cli.stdout).toContain('no servers yet');
    expect(cli.stdout).toMatch(new RegExp(`Dashboard: ${url}/ui/\\?token=[\\w-]+`));
    expect((await cli.stop('SIGTERM')).code).toBe(0);
  });

  it('--help and --version exit 0', async ({ expect }) => {
    const help = spawnCli(['--help']);
    const version = spawnCli(['--version']);
    expect(await help.exited).toEqual({ code: 0, signal: null });
    expect(help.stdout).toContain('switchboard run [options] -- COMMAND');
    expect(await version.exited).toEqual({ code: 0, signal: null });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('--allow-host', () => {
  it('accepts a configured Host name (a Kubernetes Service) and still refuses others', async () => {
    const cli = spawnCli([
      'run',
      '--port',
      '0',
      '--no-auth',
      '--allow-host',
      'mcp-switchboard',
      '--',
      'node',
      fixtureServer,
    ]);
    const url = await bannerUrl(cli);
    const port = new URL(url).port;
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/health', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status(`mcp-switchboard:${port}`)).not.toBe(403);
    expect(await status(`evil.example:${port}`)).toBe(403);
    expect((await cli.stop('SIGTERM')).code).toBe(0);
  });
});
