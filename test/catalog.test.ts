// The catalog (issue 14): a local registry (node:http) serving recorded `GET /v0/servers` pages with cursor
// pagination; the AppService reads it engine-side, at the registry URL set in settings.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import { parseServerDefinition } from '../src/shared/server-definition.js';
import { startHost, tempDir } from './helpers/host.js';

const page = (n: number) =>
  readFileSync(new URL(`./fixtures/catalog/registry-page-${n}.json`, import.meta.url), 'utf8');

let registry: Server;
let registryUrl: string;
let host: RunningHost;
const requests: URL[] = [];

beforeAll(async () => {
  registry = createServer((req, res) => {
    const url = new URL(req.url!, 'http://registry');
    requests.push(url);
    if (url.pathname !== '/v0/servers') return void res.writeHead(404).end();
    const cursor = url.searchParams.get('cursor');
    let body = cursor === null ? page(1) : cursor === 'io.github.example/sqlite-explorer:0.6.0' ? page(2) : null;
    if (body === null)
      return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"title":"bad cursor"}');
    const search = url.searchParams.get('search');
    if (search) {
      const all = JSON.parse(body) as { servers: Array<{ server: { name: string } }> };
      all.servers = all.servers.filter((s) => s.server.name.includes(search));
      body = JSON.stringify({ servers: all.servers, metadata: { count: all.servers.length } });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  host = await startHost({ dataDir: join(tempDir('switchboard-catalog-'), 'data') });
  await host.service.updateSettings({ registryUrl });
});
afterAll(async () => {
  await host?.stop();
  await new Promise((resolve) => registry?.close(resolve));
});

describe('catalog', () => {
  it('reads the first page and follows the cursor to the next, with how to run each package', async () => {
    const first = await host.service.searchCatalog({ limit: 2 });
    if (!first.ok) throw new Error(first.message);
    expect(first.registryUrl).toBe(registryUrl);
    expect(requests.at(-1)!.searchParams.get('limit')).toBe('2');
    expect(first.entries.map((e) => [e.name, e.version])).toEqual([
      ['io.github.example/weather', '1.4.2'],
      ['io.github.example/sqlite-explorer', '0.6.0'],
    ]);
    const [weather, sqlite] = first.entries;
    expect(weather!.remotes).toEqual([{ type: 'streamable-http', url: 'https://weather.example.com/mcp' }]);
    expect(weather!.installs).toHaveLength(1);
    const npm = weather!.installs[0]!;
    expect(npm.commandLine).toBe('npx -y @example/weather-mcp@1.4.2 --units metric');
    expect(npm.draft).toMatchObject({
      name: 'weather',
      command: 'npx',
      args: ['-y', '@example/weather-mcp@1.4.2', '--units', 'metric'],
      env: { WEATHER_API_KEY: '', WEATHER_REGION: 'eu' },
      secretEnvKeys: ['WEATHER_API_KEY'],
      enabled: false,
    });
    expect(npm.missing).toEqual(['WEATHER_API_KEY']);
    expect(parseServerDefinition(npm.draft).ok).toBe(true);

    const [pypi, oci] = sqlite!.installs;
    expect(pypi!.commandLine).toBe("uvx mcp-sqlite-explorer==0.6.0 '<database_path>'");
    expect(pypi!.missing).toEqual(['database_path']);
    expect(oci!.label).toBe('OCI example/sqlite-explorer:0.6.0');
    expect(oci!.draft.args).toEqual([
      'run',
      '-i',
      '--rm',
      '-e',
      'SQLITE_READONLY',
      '-v',
      '/data:/data',
      'example/sqlite-explorer:0.6.0',
    ]);
    expect(first.nextCursor).toBe('io.github.example/sqlite-explorer:0.6.0');

    const second = await host.service.searchCatalog({ cursor: first.nextCursor!, limit: 2 });
    if (!second.ok) throw new Error(second.message);
    expect(requests.at(-1)!.searchParams.get('cursor')).toBe('io.github.example/sqlite-explorer:0.6.0');
    // The malformed third entry is skipped; the remote-only and the NuGet servers are listed with nothing to run.
    expect(second.entries.map((e) => [e.name, e.installs.length, e.remotes.length])).toEqual([
      ['com.example/hosted-search', 0, 2],
      ['io.github.example/dotnet-tools', 0, 0],
    ]);
    expect(second.entries[1]!.packages).toEqual([
      { registryType: 'nuget', identifier: 'Example.McpTools', version: '1.0.0', transport: 'stdio' },
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('passes the search to the registry', async () => {
    const found = await host.service.searchCatalog({ search: 'weather' });
    expect(requests.at(-1)!.searchParams.get('search')).toBe('weather');
    expect(found.ok && found.entries.map((e) => e.name)).toEqual(['io.github.example/weather']);
  });

  it('says offline in one line when the registry cannot be reached, and errors for a bad answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await host.service.updateSettings({ registryUrl: deadUrl });
    const offline = await host.service.searchCatalog({});
    expect(offline).toEqual({
      ok: false,
      registryUrl: deadUrl,
      offline: true,
      message: expect.stringMatching(/^cannot reach .*ECONNREFUSED/),
    });
    expect(offline.ok || offline.message).not.toContain('\n');

    await host.service.updateSettings({ registryUrl });
    const bad = await host.service.searchCatalog({ cursor: 'nope' });
    expect(bad).toMatchObject({ ok: false, offline: false, message: expect.stringContaining('400') });
    await expect(host.service.updateSettings({ registryUrl: 'file:///etc' })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
