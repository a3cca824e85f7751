// `switchboard connect` (issue 14): a real SDK client launches the bridge over stdio, the bridge reaches a real
// `switchboard serve` (fixture server and server-everything) over Streamable HTTP, and survives a serve restart.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, spawnCli, stopAllClis, waitForRunning, type CliRun } from './helpers/cli.js';
import { textOf } from './helpers/clients.js';
import { everythingServer, fixtureServer } from './helpers/engine.js';
import { alive } from './helpers/process.js';

const TOKEN = 'connect-test-token-0123456789';
let dir: string;
let config: string;
let dataDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-connect-'));
  dataDir = join(dir, 'data');
  config = join(dir, 'servers.json');
  writeFileSync(
    config,
    JSON.stringify({
      mcpServers: {
        fx: { command: process.execPath, args: [fixtureServer, '--name', 'fx'] },
        everything: { command: process.execPath, args: [everythingServer, 'stdio'] },
      },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => stopAllClis());

async function startServe(port: number, env: Record<string, string> = { API_ACCESS_TOKEN: TOKEN }) {
  const cli = spawnCli(['serve', '--config', config, '--port', String(port), '--data-dir', dataDir], env);
  // serve may be compiled by tsx on a busy machine: a generous wait for its banner.
  const [, url] = await cli.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/, 60_000);
  await waitForRunning(url!, ['fx', 'everything'], 60_000);
  return { cli: cli as CliRun, url: url! };
}

async function bridgeClient(args: string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, 'connect', ...args],
    stderr: 'pipe',
    env: { PATH: process.env.PATH ?? '' },
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'bridge-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async (req) => ({
    model: 'test-model',
    role: 'assistant' as const,
    content: { type: 'text' as const, text: `sampled: ${JSON.stringify(req.params.messages[0]?.content)}` },
  }));
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('switchboard connect', () => {
  it('lists and calls tools, passes sampling, and survives a restart of serve on the same port', async () => {
    let serve = await startServe(0);
    const port = Number(new URL(serve.url).port);
    const record = JSON.parse(readFileSync(join(dataDir, 'endpoint.json'), 'utf8'));
    expect(record).toMatchObject({ url: serve.url, token: TOKEN });

    const { client, stderr } = await bridgeClient(['--url', serve.url, '--token', TOKEN]);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['fx__echo', 'trigger-sampling-request']));
    expect(textOf(await client.callTool({ name: 'fx__echo', arguments: { message: 'one' } }))).toBe('fx: one');

    // A server-initiated request travels back through the bridge to this client's handler.
    const sampled = await client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'hello', maxTokens: 5 },
    });
    expect(textOf(sampled)).toContain('sampled:');
    expect(textOf(sampled)).toContain('hello');

    await serve.cli.stop();
    expect(existsSync(join(dataDir, 'endpoint.json'))).toBe(false);
    serve = await startServe(port);

    // The first call after the restart may fail, with an error that says what happened; the next one works.
    const outcomes: string[] = [];
    for (let i = 0; i < 2; i++) {
      try {
        const r = await client.callTool({ name: 'fx__echo', arguments: { message: `after ${i}` } });
        outcomes.push(textOf(r));
      } catch (err) {
        outcomes.push(`error: ${(err as Error).message}`);
      }
    }
    if (outcomes[0]!.startsWith('error')) expect(outcomes[0], stderr()).toMatch(/Switchboard/);
    else expect(outcomes[0]).toBe('fx: after 0');
    expect(outcomes[1]).toBe('fx: after 1');
    expect(stderr(), stderr()).toMatch(/reconnect/i);
    expect(stderr()).not.toContain(TOKEN);
    await client.close();
  }, 180_000);

  it('finds serve through the data dir, passes progress and cancellation, follows a regenerated token, exits with stdin', async () => {
    const { url } = await startServe(0, {}); // the token is generated and kept in the data dir
    const { client } = await bridgeClient(['--data-dir', dataDir, '--server', 'fx']);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('trigger-sampling-request');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'direct' } }))).toBe('fx: direct');

    // Progress comes back through the bridge, and a cancellation goes up to the server: the call is cancelled
    // from its first progress notification, so it is known to be in flight on the server.
    const progress: number[] = [];
    await client.callTool({ name: 'slow', arguments: { ms: 900, steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    // The last one may be read in the same chunk as the answer, which the SDK client handles first (a known
    // quirk of its stdio transport: notification handlers run a microtask late): the first two are certain.
    expect(progress.slice(0, 2)).toEqual([1, 2]);
    const abort = new AbortController();
    const cancelled = client.callTool({ name: 'slow', arguments: { ms: 20_000, steps: 20 } }, undefined, {
      signal: abort.signal,
      onprogress: () => abort.abort('enough'),
    });
    await expect(cancelled).rejects.toThrow(/enough|abort/i);
    await expect
      .poll(async () => JSON.parse(textOf(await client.callTool({ name: 'cancelled', arguments: {} }))).length)
      .toBe(1);

    // The dashboard regenerates the token: the record follows, and so does the bridge (one call may fail).
    const before = readEndpoint().token!;
    const signIn = await fetch(`${url}/ui/?token=${before}`, { redirect: 'manual' });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const rotated = await fetch(`${url}/api/invoke/regenerateToken`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '[]',
    });
    expect(rotated.status).toBe(200);
    expect(readEndpoint().token).not.toBe(before);
    const after: string[] = [];
    for (let i = 0; i < 2; i++) {
      await client.callTool({ name: 'echo', arguments: { message: `rotated ${i}` } }).then(
        (r) => after.push(textOf(r)),
        (err: Error) => after.push(`error: ${err.message}`),
      );
    }
    expect(after[1]).toBe('fx: rotated 1');
    const transport = (client as unknown as { transport: StdioClientTransport }).transport;
    const pid = transport.pid!;
    await client.close(); // closes the bridge's stdin
    await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
  }, 120_000);

  it('fails the initialize with a clear error when nothing is listening', async () => {
    const empty = join(dir, 'no-serve');
    await expect(bridgeClient(['--data-dir', empty])).rejects.toThrow(/endpoint\.json does not exist/);
  });
});

function readEndpoint(): { url: string; token: string | null } {
  return JSON.parse(readFileSync(join(dataDir, 'endpoint.json'), 'utf8'));
}
