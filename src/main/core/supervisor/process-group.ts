/** Signals and liveness checks for a child's whole process group (POSIX), or its process tree (Windows). */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/**
 * Whether `pgid` may be signalled at all. `kill(-1)` reaches every process we may signal, `kill(-0)` our own
 * group, and a non-integer would be coerced: a wrong number read from a file must never become either.
 */
export function isSignallableGroup(pgid: number): boolean {
  return Number.isSafeInteger(pgid) && pgid > 1 && pgid !== process.pid && pgid !== ownGroup();
}

export function groupAlive(pgid: number): boolean {
  if (!isSignallableGroup(pgid)) return false;
  try {
    process.kill(process.platform === 'win32' ? pgid : -pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal` to the group; returns false (and sends nothing) when the pgid is not one we may signal. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!isSignallableGroup(pgid)) return false;
  if (process.platform === 'win32') {
    // No process groups: taskkill /T ends the tree. Always forceful; Windows has no SIGTERM to ignore.
    spawnSync('taskkill', ['/pid', String(pgid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return true;
  }
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we wanted.
  }
  return true;
}

/** Resolves true once the group is gone, false after `ms`. Polls: there is no event for a group emptying. */
export async function waitForGroupExit(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/** What /proc/<pid>/stat says about a process: its group and when it started (clock ticks since boot). */
export interface ProcStat {
  pgrp: number;
  startTicks: number;
}

/** Linux only; null when the process is gone or there is no /proc. */
export function readProcStat(pid: number | 'self'): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself hold spaces or ')': count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): pgrp is field 5, starttime field 22.
    const pgrp = Number(fields[2]);
    const startTicks = Number(fields[19]);
    return Number.isSafeInteger(pgrp) && Number.isSafeInteger(startTicks) ? { pgrp, startTicks } : null;
  } catch {
    return null;
  }
}

/** This boot's id (Linux): start ticks count from boot, so records from an earlier boot mean nothing. */
export function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Every live process whose process group is `pgid`, leader or not: on Linux from /proc/<pid>/stat (pgrp), on other
 * POSIX systems from `ps`. A group whose leader has exited still has members (grandchildren), and this finds them.
 */
export function groupMembers(pgid: number): Array<{ pid: number; startTicks: number | null }> {
  if (!isSignallableGroup(pgid) || process.platform === 'win32') return [];
  if (process.platform === 'linux') {
    const members: Array<{ pid: number; startTicks: number | null }> = [];
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return [];
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readProcStat(Number(entry));
      if (stat?.pgrp === pgid) members.push({ pid: Number(entry), startTicks: stat.startTicks });
    }
    return members;
  }
  try {
    const out = execFileSync('ps', ['-A', '-o', 'pid=,pgid='], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter(([pid, group]) => group === pgid && Number.isSafeInteger(pid))
      .map(([pid]) => ({ pid: pid!, startTicks: null }));
  } catch {
    return [];
  }
}

let ownGroupCache: number | null | undefined;
function ownGroup(): number | null {
  if (ownGroupCache === undefined)
    ownGroupCache = process.platform === 'linux' ? (readProcStat('self')?.pgrp ?? null) : null;
  return ownGroupCache;
}
