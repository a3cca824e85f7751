import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveDataDir, Store, StoreError, type StoreOptions } from '../src/main/core/store/index.js';
import type { FrameEvent } from '../src/main/core/telemetry/frame.js';
import { createLogger, type LogRecord } from '../src/main/core/util/logger.js';

let dir: string;
let logged: LogRecord[];
const open: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'store-test-'));
  logged = [];
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(options: Partial<StoreOptions> = {}): Promise<Store> {
  const store = await Store.open({
    dataDir: dir,
    logger: createLogger('debug', (r) => logged.push(r)),
    retention: false,
    ...options,
  });
  open.push(store);
  return store;
}

async function reopen(store: Store, options: Partial<StoreOptions> = {}): Promise<Store> {
  await store.close();
  return openStore(options);
}

const dbFile = () => path.join(dir, 'switchboard.db');

describe('opening the database', () => {
  it('runs each migration once and records it', async () => {
    const first = await openStore();
    const second = await reopen(first);
    await second.close();
    const db = new Database(dbFile(), { readonly: true });
    const applied = db.prepare('SELECT id, name FROM schema_migrations').all();
    expect(applied).toEqual([
      { id: 1, name: 'init' },
      { id: 2, name: 'schema-runs' },
      { id: 3, name: 'drop-traffic-session-index' },
    ]);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'traffic'").pluck();
    expect(indexes.all().sort()).toEqual(['traffic_errors', 'traffic_server', 'traffic_time']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(logged.filter((r) => r.message.includes('applied database migrations'))).toHaveLength(1);
  });

  it('refuses a database written by a newer version, with what to do', async () => {
    await (await openStore()).close();
    const db = new Database(dbFile());
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 0)").run();
    db.close();
    const error = await openStore().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      kind: 'newer_schema',
      message: expect.stringMatching(/newer MCP Switchboard.*--data-dir/),
    });
  });

  it('moves a file that is not a database aside, with its -wal and -shm, and starts fresh', async () => {
    writeFileSync(dbFile(), 'this is not a database\n'.repeat(500));
    writeFileSync(dbFile() + '-wal', 'junk');
    writeFileSync(dbFile() + '-shm', 'junk');
    const store = await openStore();
    const moved = store.health().movedAside!;
    expect(moved).toHaveLength(3);
    expect(moved[0]).toMatch(/switchboard\.db\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(readFileSync(moved[0]!, 'utf8')).toContain('this is not a database');
    expect(moved.slice(1).map((p) => p.slice(moved[0]!.length))).toEqual(['-wal', '-shm']);
    expect(logged.find((r) => r.level === 'error')?.message).toMatch(
      /is corrupt .* moved it to .*corrupt-.* fresh database/,
    );
    expect(store.servers.add({ name: 'fresh', command: 'node' }).ok).toBe(true);
  });

  it('moves a database with damaged pages aside', async () => {
    const store = await openStore();
    for (let i = 0; i < 3000; i++)
      store.logs.append({ time: i, level: 'info', source: 't', message: `line ${i} `.repeat(5) });
    await store.close();
    const fd = openSync(dbFile(), 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xab), 0, 4096 * 3, 4096 * 2); // pages 3-5
    closeSync(fd);
    const fresh = await openStore();
    expect(fresh.health().movedAside?.[0]).toMatch(/corrupt-/);
    expect(fresh.logs.query().rows).toEqual([]);
  });

  it('resolves the per-user data folder on each platform', () => {
    const home = '/home/ada';
    expect(resolveDataDir({ explicit: '/x/y', platform: 'linux', env: {}, home })).toBe('/x/y');
    expect(resolveDataDir({ platform: 'linux', env: {}, home })).toBe('/home/ada/.local/share/mcp-switchboard');
    expect(resolveDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data' }, home })).toBe('/data/mcp-switchboard');
    expect(resolveDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'rel' }, home })).toBe(
      '/home/ada/.local/share/mcp-switchboard',
    );
    expect(resolveDataDir({ platform: 'darwin', env: {}, home: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/MCP Switchboard',
    );
    expect(
      resolveDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        home: 'C:\\Users\\ada',
      }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\MCP Switchboard');
  });
});

describe('server registry', () => {
  it('explains what is wrong with a definition', async () => {
    const { servers } = await openStore();
    const problem = (input: unknown) => {
      const r = servers.add(input);
      return r.ok ? 'ok' : `${r.kind}: ${r.message}`;
    };
    expect(problem({ name: 'my server', command: 'npx' })).toBe(
      'invalid: name "my server" may only contain letters, digits, "-", "_" and "."',
    );
    expect(problem({ name: '-x', command: 'npx' })).toBe('invalid: name "-x" must start with a letter or a digit');
    expect(problem({ name: 'x', command: ' ' })).toMatch(/^invalid: command must not be empty/);
    expect(problem({ name: 'x', command: 'npx', args: 'a b' })).toBe('invalid: args must be a list of strings');
    expect(problem({ name: 'x', command: 'npx', cwd: 'rel/dir' })).toBe(
      'invalid: cwd "rel/dir" must be an absolute path',
    );
    expect(problem({ name: 'x', command: 'npx', env: { A: '1' }, secretEnvKeys: ['TOKEN'] })).toBe(
      'invalid: secretEnvKeys lists "TOKEN", which is not set in env',
    );
    expect(problem({ name: 'x', command: 'npx', options: { sharing: 'all', retries: 3 } })).toBe(
      'invalid: options.sharing must be "auto", "shared" or "per-session"; options: unknown option "retries"',
    );
    expect(problem({ name: 'x', command: 'npx', options: { timeouts: { requestMs: -1 } } })).toBe(
      'invalid: options.timeouts.requestMs must be greater than 0',
    );
    expect(problem({ name: 'x', command: 'npx', autoStart: true })).toBe('invalid: unknown field "autoStart"');
  });

  it('adds, updates, renames, enables, disables and removes, with unique names ignoring case', async () => {
    const store = await openStore();
    const { servers } = store;
    const changes: string[] = [];
    servers.changes.on((c) => changes.push(`${c.type}:${c.type === 'removed' ? c.name : c.server.name}`));
    const added = servers.add({
      name: 'files',
      command: 'npx',
      args: ['-y', 'server-fs'],
      env: { TOKEN: 's3cret' },
      secretEnvKeys: ['TOKEN'],
    });
    expect(added).toMatchObject({
      ok: true,
      value: { name: 'files', enabled: true, autostart: true, options: { sharing: 'auto' } },
    });
    expect(servers.add({ name: 'FILES', command: 'node' })).toMatchObject({
      ok: false,
      kind: 'duplicate',
      message: expect.stringContaining('already exists'),
    });

    const updated = servers.update('files', { options: { restart: { maxFailures: 3 } }, cwd: '/srv' });
    expect(updated).toMatchObject({
      ok: true,
      value: { cwd: '/srv', options: { restart: { maxFailures: 3 }, sharing: 'auto' } },
    });
    expect(servers.update('files', { options: { sharing: 'per-session' } })).toMatchObject({
      ok: true,
      value: { options: { restart: { maxFailures: 3 }, sharing: 'per-session' } },
    });
    expect(servers.disable('files')).toMatchObject({ ok: true, value: { enabled: false } });
    expect(servers.update('files', { name: 'fs' })).toMatchObject({ ok: true, value: { name: 'fs', enabled: false } });
    expect(servers.enable('fs')).toMatchObject({ ok: true, value: { enabled: true } });
    expect(servers.get('files')).toBeUndefined();
    expect(servers.update('files', { command: 'x' })).toEqual({
      ok: false,
      kind: 'not_found',
      message: 'no server named "files"; the registry has: fs',
    });

    // A restart on the same data dir brings the servers back.
    const again = await reopen(store);
    expect(again.servers.list()).toMatchObject([
      {
        name: 'fs',
        command: 'npx',
        args: ['-y', 'server-fs'],
        env: { TOKEN: 's3cret' },
        secretEnvKeys: ['TOKEN'],
        cwd: '/srv',
        enabled: true,
      },
    ]);
    expect(again.servers.remove('FS')).toEqual({ ok: true, value: undefined });
    expect(again.servers.list()).toEqual([]);
    expect(changes).toEqual([
      'added:files',
      'updated:files',
      'updated:files',
      'updated:files',
      'updated:fs',
      'updated:fs',
    ]);
  });

  it('upsert adds a new server and replaces an existing definition, keeping its creation time', async () => {
    let now = 1000;
    const { servers } = await openStore({ now: () => now });
    servers.upsert({ name: 'a', command: 'one' });
    now = 2000;
    const r = servers.upsert({ name: 'a', command: 'two', args: ['x'] });
    expect(r).toMatchObject({ ok: true, value: { command: 'two', args: ['x'], createdAt: 1000, updatedAt: 2000 } });
  });
});

describe('settings', () => {
  it('gets, sets, lists and removes JSON values, and keeps them across a restart', async () => {
    const store = await openStore();
    expect(store.settings.get('port')).toBeUndefined();
    expect(store.settings.set('port', 8808)).toEqual({ ok: true, value: undefined });
    store.settings.set('origins', ['http://localhost:3000']);
    store.settings.set('gone', true);
    store.settings.set('gone', undefined);
    expect(store.settings.set('bad', 10n)).toMatchObject({ ok: false, kind: 'invalid' });
    const again = await reopen(store);
    expect(again.settings.get<number>('port')).toBe(8808);
    expect(again.settings.all()).toEqual({ origins: ['http://localhost:3000'], port: 8808 });
  });
});

function frame(i: number, over: Partial<FrameEvent> = {}): FrameEvent {
  return {
    direction: i % 2 ? 'down' : 'up',
    server: i % 3 ? 'files' : 'git',
    session: `s${i % 2}`,
    clientName: i % 4 ? 'cursor' : 'vscode',
    kind: i % 2 ? 'response' : 'request',
    method: i % 5 ? 'tools/call' : 'tools/list',
    clientId: i,
    isError: i % 7 === 0,
    size: 20,
    time: 1000 + i,
    payload: `{"id":${i}}`,
    ...over,
  };
}

describe('logs and traffic', () => {
  it('queries logs by server, level, time and text, newest first, with a cursor', async () => {
    const store = await openStore();
    const levels = ['debug', 'info', 'warn', 'error'] as const;
    for (let i = 0; i < 100; i++) {
      store.logs.append({
        time: 1000 + i,
        level: levels[i % 4]!,
        source: 'stderr',
        server: i % 2 ? 'files' : null,
        message: `line ${i}`,
        fields: i === 99 ? { code: 7 } : undefined,
      });
    }
    store.logs.append({ time: 2000, level: 'info', source: 'engine', message: '100% done_now' });
    await store.flush();
    const q = store.logs;
    expect(q.query({ server: 'files' }).rows).toHaveLength(50);
    expect(q.query({ minLevel: 'warn' }).rows.every((r) => r.level === 'warn' || r.level === 'error')).toBe(true);
    expect(q.query({ minLevel: 'error' }).rows).toHaveLength(25);
    expect(q.query({ since: 1010, until: 1020 }).rows.map((r) => r.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${19 - i}`),
    );
    expect(q.query({ text: 'LINE 4' }).rows.map((r) => r.message)).toEqual([
      'line 49',
      'line 48',
      'line 47',
      'line 46',
      'line 45',
      'line 44',
      'line 43',
      'line 42',
      'line 41',
      'line 40',
      'line 4',
    ]);
    expect(q.query({ text: '0% done_' }).rows).toHaveLength(1); // % and _ are literal
    expect(q.query({ text: '0%_done' }).rows).toHaveLength(0);
    expect(q.query({ server: 'files', limit: 1 }).rows[0]).toMatchObject({
      message: 'line 99',
      fields: { code: 7 },
      level: 'error',
    });

    const pages: string[][] = [];
    let before: number | undefined;
    do {
      const page = q.query({ server: 'files', minLevel: 'info', limit: 20, before });
      pages.push(page.rows.map((r) => r.message));
      before = page.nextCursor ?? undefined;
    } while (before !== undefined);
    expect(pages.map((p) => p.length)).toEqual([20, 20, 10]);
    expect(new Set(pages.flat()).size).toBe(50);
  });

  it('queries traffic by server, session, client, method, errors and time, and cuts long payloads', async () => {
    const store = await openStore({ maxPayloadChars: 8 });
    for (let i = 1; i <= 60; i++)
      store.traffic.append(frame(i, i === 60 ? { payload: 'x'.repeat(100), size: 100 } : {}));
    await store.flush();
    const t = store.traffic;
    const all = Array.from({ length: 60 }, (_, k) => frame(k + 1));
    const expectIds = (q: Parameters<typeof t.query>[0], keep: (f: FrameEvent) => boolean) =>
      expect(t.query(q).rows.map((r) => r.clientId)).toEqual(
        all
          .filter(keep)
          .map((f) => f.clientId)
          .reverse(),
      );
    expectIds({ server: 'git' }, (f) => f.server === 'git');
    expectIds({ session: 's1', client: 'vscode' }, (f) => f.session === 's1' && f.clientName === 'vscode');
    expectIds({ method: 'tools/list', errorsOnly: true }, (f) => f.method === 'tools/list' && !!f.isError);
    expectIds(
      { since: 1010, until: 1013, server: 'files' },
      (f) => f.time >= 1010 && f.time < 1013 && f.server === 'files',
    );
    const last = t.query({ limit: 1 }).rows[0]!;
    expect(last).toMatchObject({ payload: 'xxxxxxxx', size: 100, isError: false, direction: 'up', kind: 'request' });
  });

  it('exports matching traffic as JSON Lines, oldest first', async () => {
    const store = await openStore();
    for (let i = 1; i <= 12_000; i++) store.traffic.append(frame(i));
    await store.flush();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const count = await store.traffic.exportJsonl({ server: 'git' }, out);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(count).toBe(4000);
    expect(lines).toHaveLength(4000);
    const parsed = lines.map((l) => JSON.parse(l) as { clientId: number; server: string });
    expect(parsed.every((f) => f.server === 'git')).toBe(true);
    expect(parsed.map((f) => f.clientId)).toEqual(Array.from({ length: 4000 }, (_, k) => (k + 1) * 3));
  });
});

describe('retention', () => {
  it('prunes by age, by row count and by size', async () => {
    const day = 24 * 3600_000;
    const now = 100 * day;
    const store = await openStore({
      now: () => now,
      retention: { maxAgeMs: 7 * day, maxLogRows: 300, maxTrafficRows: 1_000_000, chunkRows: 50 },
    });
    for (let i = 0; i < 200; i++)
      store.logs.append({ time: now - 8 * day + i, level: 'info', source: 't', message: `old ${i}` });
    for (let i = 0; i < 500; i++)
      store.logs.append({ time: now - day + i, level: 'info', source: 't', message: `new ${i}` });
    for (let i = 0; i < 100; i++) store.traffic.append(frame(i, { time: now - 9 * day }));
    for (let i = 0; i < 50; i++) store.traffic.append(frame(i, { time: now }));
    await store.flush();
    const result = await store.prune();
    expect(result).toMatchObject({ logs: 400, traffic: 100 });
    expect(result.chunks).toBeGreaterThan(10); // small chunks, not one big DELETE
    const kept = store.logs.query({ limit: 5000 }).rows.map((r) => r.message);
    expect(kept).toHaveLength(300);
    expect(kept.at(-1)).toBe('new 200');
    expect(store.health().lastPrune).toEqual(result);

    const small = await reopen(store, { now: () => now, retention: { maxBytes: 64 * 1024, chunkRows: 100 } });
    for (let i = 0; i < 5000; i++)
      small.logs.append({ time: now + i, level: 'info', source: 't', message: 'y'.repeat(200) });
    await small.flush();
    const bySize = await small.prune();
    expect(bySize.logs).toBeGreaterThan(4000);
    const db = new Database(dbFile(), { readonly: true });
    const used =
      ((db.pragma('page_count', { simple: true }) as number) -
        (db.pragma('freelist_count', { simple: true }) as number)) *
      4096;
    db.close();
    expect(used).toBeLessThanOrEqual(64 * 1024);
    expect(existsSync(dbFile())).toBe(true);
  });
});
