// children.json and crash recovery (C4) with real processes: corrupt files are one warning, pgids ≤ 1 are never
// signalled, a group is ended only when it is provably the one recorded, grandchildren included.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChildRegistry, type ChildRecord } from './child-registry.js';
import { groupAlive, groupMembers, isSignallableGroup, readProcStat, signalGroup } from './process-group.js';
import { alive } from '../../../../test/helpers/process.js';

const fixtureServer = fileURLToPath(new URL('../../../../test/fixtures/fixture-server.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchboard-registry-'));
const spawned: ChildProcess[] = [];
let n = 0;

afterEach(() => {
  for (const c of spawned.splice(0)) if (c.pid && groupAlive(c.pid)) process.kill(-c.pid, 'SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dataDir(children?: string): string {
  const d = join(dir, `data-${n++}`);
  mkdirSync(d);
  if (children !== undefined) writeFileSync(join(d, 'children.json'), children);
  return d;
}

/** A detached child (its own process group), as the supervisor spawns them. */
function spawnGroupLeader(args: string[]): ChildProcess {
  const child = spawn(process.execPath, args, { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  spawned.push(child);
  return child;
}

async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a corrupt or wrongly shaped children.json', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an object', '{}', /expected a list of child records, found an object/],
    ['a list of numbers', '[1]', /ignoring 1 of 1 records/],
    ['garbage', '\u0000not json at all', /not JSON/],
    ['null', 'null', /found null/],
    ['pgid 1 and pgid 0', JSON.stringify([rec({ pid: 1, pgid: 1 }), rec({ pid: 5000, pgid: 0 })]), /2 of 2/],
    ['a negative pgid', JSON.stringify([rec({ pid: 5000, pgid: -1 })]), /1 of 1/],
  ];
  it.each(cases)('%s is one warning, never a crash or a signal', async (_name, text, message) => {
    const warnings: string[] = [];
    const d = dataDir(text);
    const registry = new ChildRegistry(d, (m) => warnings.push(m));
    expect(await registry.reapStale()).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
    expect(warnings[0]).toContain('children.json');
    // and the file is rewritten with what this run records (nothing yet), so the warning is not repeated
    expect(readFileSync(join(d, 'children.json'), 'utf8')).toBe('[]');
  });

  it('a missing file is no warning at all', async () => {
    const warnings: string[] = [];
    const d = join(dir, `fresh-${n++}`);
    expect(await new ChildRegistry(d, (m) => warnings.push(m)).reapStale()).toEqual([]);
    expect(warnings).toEqual([]);
    expect(existsSync(join(d, 'children.json'))).toBe(true);
  });
});

describe('process groups that may be signalled', () => {
  it('never pgid ≤ 1, a fraction, or our own group', () => {
    for (const pgid of [1, 0, -1, -4242, 1.5, Number.NaN, process.pid]) {
      expect(isSignallableGroup(pgid)).toBe(false);
      expect(signalGroup(pgid, 'SIGTERM')).toBe(false);
      expect(groupAlive(pgid)).toBe(false);
    }
    const own = readProcStat('self')?.pgrp;
    if (own !== undefined) expect(signalGroup(own, 'SIGTERM')).toBe(false);
  });

  it('finds every member of a group in /proc, the leader and a grandchild', async () => {
    const pidFile = join(dir, `gc-${n++}.pid`);
    const leader = spawnGroupLeader([fixtureServer, '--grandchild', '--pid-file', pidFile]);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'the grandchild');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const members = groupMembers(leader.pid!).map((m) => m.pid);
    expect(members.sort()).toEqual([leader.pid!, grandchild].sort());
  });
});

describe('reaping the groups of an earlier run (C4)', () => {
  it('ends a recorded group whose leader is gone but whose grandchild lives', async () => {
    const d = dataDir();
    const pidFile = join(dir, `gc-${n++}.pid`);
    const first = new ChildRegistry(d);
    const leader = spawnGroupLeader([fixtureServer, '--grandchild', '--pid-file', pidFile]);
    first.add('polite', leader.pid!);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'the grandchild');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    // The earlier run "crashes": its child sees stdin EOF and leaves; the grandchild (ignoring SIGTERM) stays.
    leader.stdin!.end();
    await new Promise((r) => leader.once('exit', r));
    expect(alive(leader.pid!)).toBe(false);
    expect(alive(grandchild)).toBe(true);

    const warnings: string[] = [];
    const reaped = await new ChildRegistry(d, (m) => warnings.push(m)).reapStale();
    expect(reaped.map((r) => [r.server, r.pid])).toEqual([['polite', leader.pid]]);
    await waitFor(() => !alive(grandchild), 'the grandchild to be gone');
    expect(warnings).toEqual([]);
  });

  it('leaves alone a live group that does not match what was recorded', async () => {
    const d = dataDir();
    const other = spawnGroupLeader(['-e', 'setInterval(() => {}, 1000)']);
    await waitFor(() => readProcStat(other.pid!) !== null, 'the process to appear in /proc');
    const stat = readProcStat(other.pid!)!;
    const base = rec({ pid: other.pid!, pgid: other.pid!, cmdline: 'a different program' });
    const records: ChildRecord[] = [
      // the same pid, but a process that started at another time: the pid was recycled
      { ...base, startTicks: stat.startTicks - 1 },
      // a record started after every member of the group: not the group we made
      { ...base, startTicks: stat.startTicks + 1 },
      // no start time (another platform's record): the command line must match, and it does not
      { ...base, startTicks: null },
    ];
    for (const record of records) {
      writeFileSync(join(d, 'children.json'), JSON.stringify([record]));
      expect(await new ChildRegistry(d).reapStale()).toEqual([]);
    }
    expect(alive(other.pid!)).toBe(true);
  });
});

function rec(over: Partial<ChildRecord>): ChildRecord {
  return { server: 's', pid: 4242, pgid: 4242, cmdline: 'x', startedAt: 0, ...over };
}
