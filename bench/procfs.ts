/**
 * What the benchmark reads from Linux procfs: a process's own CPU time (all its threads, never its children's),
 * its memory high-water mark, its children, and a description of the machine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

function readClockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100; // the Linux default (USER_HZ)
  }
}

/** Clock ticks per second of utime/stime in /proc/<pid>/stat. */
export const CLK_TCK = readClockTicks();

/**
 * utime + stime of one process in clock ticks: every thread of it (V8 GC, libuv pool), excluding its children
 * (those are in cutime/cstime, and only once reaped). Null when the process is gone.
 */
export function cpuTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3]: utime is field 14, stime field 15.
  return Number(rest[11]) + Number(rest[12]);
}

/**
 * Busy clock ticks of the whole machine, all CPUs summed (/proc/stat: user, nice, system, irq, softirq, steal),
 * to see how much CPU went to anything besides the processes under test.
 */
export function machineBusyTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return user + nice + system + irq + softirq + steal;
}

/** CPU microseconds from clock ticks. */
export function ticksToMicros(ticks: number): number {
  return (ticks * 1e6) / CLK_TCK;
}

export interface MemoryInfo {
  /** Resident set now, KiB. */
  rssKiB: number;
  /** Peak resident set (VmHWM), KiB. */
  peakKiB: number;
}

export function memory(pid: number): MemoryInfo | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: field('VmRSS'), peakKiB: field('VmHWM') };
}

/** Direct children of a process (from every thread's children list). */
export function childrenOf(pid: number): number[] {
  const found = new Set<number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
        if (child) found.add(Number(child));
      }
    } catch {
      // the thread ended while we looked
    }
  }
  return [...found];
}

/** A process's argv joined by spaces ('' when it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
}

export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: keep what os.cpus() said
  }
  return {
    cpuModel,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
}
