// `--config` files carry every per-server option (issue 10 item 7) and mark secrets by the import preview's rule
// (issue 11 item 8): real files in a temp folder, and a real host that stores and runs what they say.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import { ConfigError, loadMcpServersFile } from '../src/main/core/config/server-config.js';
import { fixtureServer } from './helpers/engine.js';
import { startHost, tempDir } from './helpers/host.js';

const dir = tempDir('switchboard-config-file-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function file(mcpServers: Record<string, unknown>): string {
  const path = join(dir, `servers-${n++}.json`);
  writeFileSync(path, JSON.stringify({ mcpServers }));
  return path;
}

const fx = { command: process.execPath, args: [fixtureServer] };

describe('per-server options in a config file', () => {
  it('accepts every option nested under "options" and as top-level shorthand', () => {
    const path = file({
      nested: {
        ...fx,
        options: {
          sharing: 'per-session',
          maxChildren: 3,
          roots: [{ uri: 'file:///srv/data', name: 'data' }],
          timeouts: { startupMs: 120_000, requestMs: 5000 },
          restart: { enabled: false },
          toolFilter: { deny: ['delete_everything'] },
          passEnvironment: true,
          stderrLinesPerSecond: 100,
        },
      },
      flat: { ...fx, sharing: 'shared', toolFilter: { allow: ['echo'] }, autostart: false, cwd: 'work' },
      quiet: { ...fx, disabled: true },
      loud: { ...fx, enabled: true },
    });
    const { servers, warnings, notes } = loadMcpServersFile(path);
    expect(warnings).toEqual([]);
    expect(notes).toEqual([]);
    const byName = Object.fromEntries(servers.map((s) => [s.name, s]));
    expect(byName.nested!.options).toEqual({
      sharing: 'per-session',
      maxChildren: 3,
      roots: [{ uri: 'file:///srv/data', name: 'data' }],
      timeouts: { startupMs: 120_000, requestMs: 5000 },
      restart: { enabled: false },
      toolFilter: { deny: ['delete_everything'] },
      passEnvironment: true,
      stderrLinesPerSecond: 100,
    });
    // Only what the entry says: no defaults that would overwrite what the dashboard set for the rest.
    expect(byName.flat).toEqual({
      name: 'flat',
      ...fx,
      env: {},
      cwd: join(dir, 'work'),
      autostart: false,
      options: { sharing: 'shared', toolFilter: { allow: ['echo'] } },
    });
    expect(byName.quiet!.enabled).toBe(false); // registered, not started: the dashboard shows it
    expect(byName.loud!.enabled).toBe(true);
  });

  it("warns once per unknown key, naming server and key, and notes other clients' keys as ignored", () => {
    const path = file({
      typo: { ...fx, sharng: 'per-session', options: { sharing: 'shared', retsart: {}, timeouts: { startMs: 1 } } },
      cline: { ...fx, type: 'stdio', alwaysAllow: ['echo'], disabledTools: [], autoApprove: [], timeout: 60 },
    });
    const { servers, warnings, notes } = loadMcpServersFile(path);
    expect([...warnings].sort()).toEqual([
      `${path}: server "typo": unknown key "options.retsart" ignored`,
      `${path}: server "typo": unknown key "options.timeouts.startMs" ignored`,
      `${path}: server "typo": unknown key "sharng" ignored`,
    ]);
    expect(notes).toEqual([
      `${path}: server "cline": "alwaysAllow" (Cline/Roo) ignored`,
      `${path}: server "cline": "disabledTools" (Cline/Roo/Windsurf) ignored`,
      `${path}: server "cline": "autoApprove" (Cline/Roo) ignored`,
      `${path}: server "cline": "timeout" (Cline/Roo) ignored`,
    ]);
    expect(servers.find((s) => s.name === 'typo')!.options).toEqual({ sharing: 'shared', timeouts: {} });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'an unknown sharing mode',
      { sharing: 'sometimes' },
      /server "x": options\.sharing must be "auto", "shared" or "per-session"/,
    ],
    ['maxChildren 0', { options: { maxChildren: 0 } }, /server "x": options\.maxChildren must be at least 1/],
    [
      'a negative timeout',
      { timeouts: { startupMs: -5 } },
      /server "x": options\.timeouts\.startupMs must be greater than 0/,
    ],
    ['a root that is not a file URI', { roots: [{ uri: 'http://x' }] }, /server "x": .*roots.*file:\/\/ URI/],
    ['options that are not an object', { options: 'per-session' }, /server "x": options must be an object/],
    [
      'one option twice',
      { sharing: 'shared', options: { sharing: 'auto' } },
      /"sharing" is set both at the top level and under "options"/,
    ],
    [
      'disabled contradicting enabled',
      { disabled: true, enabled: true },
      /"disabled": true contradicts "enabled": true/,
    ],
    ['autostart as text', { autostart: 'yes' }, /server "x": autostart must be true or false/],
    [
      'a secret key not in env',
      { secretEnvKeys: ['NOPE'] },
      /server "x": secretEnvKeys lists "NOPE", which is not set in env/,
    ],
    ['a remote type with a command', { type: 'http' }, /server "x": type "http" with a "command"/],
  ])('refuses %s with a message naming server, key and expected form', (_what, extra, message) => {
    const path = file({ x: { ...fx, ...extra } });
    expect(() => loadMcpServersFile(path)).toThrow(ConfigError);
    expect(() => loadMcpServersFile(path)).toThrow(message);
  });
});

describe('secrets in a config file', () => {
  it("marks env keys by the import preview's rule, plus the file's own secretEnvKeys", () => {
    const path = file({
      s: {
        ...fx,
        env: {
          MY_SECRET: 'plain-looking',
          GITHUB_TOKEN: 'x',
          INNOCENT_NAME: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
          DB_URL: 'postgres://user:hunter2@db/x',
          MEMORY_FILE_PATH: '/tmp/memory.json',
          REGION: 'eu-west-1',
          CUSTOM: 'not secret-looking',
        },
        secretEnvKeys: ['CUSTOM'],
      },
    });
    const [spec] = loadMcpServersFile(path).servers;
    expect(new Set(spec!.secretEnvKeys)).toEqual(
      new Set(['CUSTOM', 'MY_SECRET', 'GITHUB_TOKEN', 'INNOCENT_NAME', 'DB_URL']),
    );
  });

  it('reads envFile relative to the config, written env winning, and marks its secrets too', () => {
    const sub = join(dir, `env-${n++}`);
    mkdirSync(sub);
    writeFileSync(join(sub, '.env'), 'API_KEY=from-file\nLEVEL=debug\nOVERRIDDEN=file\n');
    const path = join(sub, 'servers.json');
    writeFileSync(
      path,
      JSON.stringify({ mcpServers: { e: { ...fx, envFile: '.env', env: { OVERRIDDEN: 'written' } } } }),
    );
    const [spec] = loadMcpServersFile(path).servers;
    expect(spec!.env).toEqual({ API_KEY: 'from-file', LEVEL: 'debug', OVERRIDDEN: 'written' });
    expect(spec!.secretEnvKeys).toEqual(['API_KEY']);
  });
});

describe('serve --config stores and runs what the file says', () => {
  let host: RunningHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('a per-session entry with a secret reaches the registry and the engine as written', async () => {
    const configPath = file({
      solo: { ...fx, sharing: 'per-session', maxChildren: 2, autostart: false, env: { MY_SECRET: 's3cr3t' } },
      off: { ...fx, disabled: true },
    });
    host = await startHost({ dataDir: tempDir(), configPath });
    const views = await host.api.listServers();
    const solo = views.find((v) => v.definition.name === 'solo')!;
    expect(solo.definition.options).toMatchObject({ sharing: 'per-session', maxChildren: 2 });
    expect(solo.definition.autostart).toBe(false);
    expect(solo.definition.secretEnvKeys).toEqual(['MY_SECRET']);
    expect(solo.definition.env.MY_SECRET).not.toBe('s3cr3t'); // shown masked
    expect(host.engine.servers.get('solo')!.definition.options.sharing).toBe('per-session');
    expect(views.find((v) => v.definition.name === 'off')!.definition.enabled).toBe(false);
  });
});
