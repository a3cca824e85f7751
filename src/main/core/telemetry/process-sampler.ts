import { readFile, readdir } from 'node:fs/promises';

/** CPU and memory of one server: its whole process group (`npx` → `sh` → `node` is three processes). */
export interface ProcessUsage {
  cpuSeconds: number;
  rssBytes: number;
  processes: number;
}

/**
 * utime/stime are in USER_HZ ticks, which Linux fixes at 100 for user space on every mainstream architecture;
 * sysconf(_SC_CLK_TCK) is not reachable from Node without spawning `getconf`.
 */
const TICKS_PER_SECOND = 100;

const SCAN_CHUNK = 32;

interface StatFields {
  pgrp: number;
  cpuTicks: number;
}

/** Fields of /proc/<pid>/stat; the command name may hold spaces and parentheses, so count from the last ')'. */
export function parseStat(stat: string): StatFields | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const rest = stat.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3]. pgrp is field 5, utime 14, stime 15.
  const pgrp = Number(rest[2]);
  const cpuTicks = Number(rest[11]) + Number(rest[12]);
  return Number.isFinite(pgrp) && Number.isFinite(cpuTicks) ? { pgrp, cpuTicks } : null;
}

/** VmRSS from /proc/<pid>/status, in bytes (the file says kB, meaning KiB). */
export function parseRss(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'latin1');
  } catch {
    return null; // the process ended between listing and reading: that is normal
  }
}

/**
 * Samples process groups from Linux procfs. Finding a group's members means reading every /proc/<pid>/stat, so
 * that scan runs only for a leader not seen before and every `rescanMs`; each sample then reads just the known
 * members. On other platforms `supported` is false and samples are empty.
 */
export class ProcessSampler {
  readonly supported: boolean;
  private members = new Map<number, number[]>();
  private scannedAt = 0;

  constructor(private readonly options: { procRoot?: string; rescanMs?: number; platform?: string } = {}) {
    this.supported = (options.platform ?? process.platform) === 'linux';
  }

  async sample(leaders: readonly number[]): Promise<Map<number, ProcessUsage>> {
    const result = new Map<number, ProcessUsage>();
    if (!this.supported || leaders.length === 0) return result;
    const now = Date.now();
    if (leaders.some((pid) => !this.members.has(pid)) || now - this.scannedAt >= (this.options.rescanMs ?? 10_000)) {
      await this.scan(leaders);
      this.scannedAt = now;
    }
    await Promise.all(
      leaders.map(async (leader) => {
        const usage = await this.sampleGroup(leader, this.members.get(leader) ?? [leader]);
        if (usage) result.set(leader, usage);
      }),
    );
    return result;
  }

  private async sampleGroup(leader: number, pids: number[]): Promise<ProcessUsage | null> {
    const root = this.options.procRoot ?? '/proc';
    let cpuTicks = 0;
    let rssBytes = 0;
    let processes = 0;
    for (const pid of pids) {
      const [stat, status] = await Promise.all([readText(`${root}/${pid}/stat`), readText(`${root}/${pid}/status`)]);
      const fields = stat ? parseStat(stat) : null;
      if (!fields || fields.pgrp !== leader) continue; // gone, or the pid was reused by someone else
      cpuTicks += fields.cpuTicks;
      rssBytes += status ? (parseRss(status) ?? 0) : 0;
      processes++;
    }
    // A leader that exited while its children live on still names the group: the group is the server.
    if (processes === 0) return null;
    return { cpuSeconds: cpuTicks / TICKS_PER_SECOND, rssBytes, processes };
  }

  private async scan(leaders: readonly number[]): Promise<void> {
    const root = this.options.procRoot ?? '/proc';
    const wanted = new Set(leaders);
    const found = new Map<number, number[]>(leaders.map((pid) => [pid, [pid]]));
    let entries: string[];
    try {
      entries = await readdir(root);
    } catch {
      entries = [];
    }
    const pids = entries.map(Number).filter((pid) => Number.isInteger(pid) && !wanted.has(pid));
    // In chunks: hundreds of files open at once could run a busy engine out of descriptors.
    for (let i = 0; i < pids.length; i += SCAN_CHUNK) {
      await Promise.all(
        pids.slice(i, i + SCAN_CHUNK).map(async (pid) => {
          const stat = await readText(`${root}/${pid}/stat`);
          const fields = stat ? parseStat(stat) : null;
          if (fields && wanted.has(fields.pgrp)) found.get(fields.pgrp)!.push(pid);
        }),
      );
    }
    this.members = found;
  }
}
