import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupAlive, signalGroup, waitForGroupExit } from './process-group.js';

/** What we record of each child, so a later run can tell a stale child of ours from a recycled pid. */
export interface ChildRecord {
  server: string;
  pid: number;
  pgid: number;
  /** The command line as the OS reports it (/proc/<pid>/cmdline), captured right after spawning. */
  cmdline: string;
  startedAt: number;
}

/** The command line of a live process, or null (process gone, or a platform without /proc). */
export function readCmdline(pid: number): string | null {
  try {
    if (process.platform === 'linux') {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
    }
    if (process.platform === 'win32') return null;
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Records live children in `<dataDir>/children.json`. If Switchboard is killed outright, the next start reads
 * the file and ends the children it left behind — but only those whose command line still matches, so a pid the
 * OS has since given to another program is never touched.
 */
export class ChildRegistry {
  private readonly file: string;
  private readonly live = new Map<number, ChildRecord>();

  private warned = false;

  constructor(
    dataDir: string,
    private readonly onWriteError: (message: string) => void = () => {},
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'children.json');
  }

  add(server: string, pid: number): void {
    this.live.set(pid, { server, pid, pgid: pid, cmdline: readCmdline(pid) ?? '', startedAt: Date.now() });
    this.save();
  }

  remove(pid: number): void {
    if (this.live.delete(pid)) this.save();
  }

  /** Ends the stale children of an earlier run; returns what it reaped. Call before starting any server. */
  async reapStale(): Promise<ChildRecord[]> {
    let records: ChildRecord[];
    try {
      records = JSON.parse(readFileSync(this.file, 'utf8')) as ChildRecord[];
    } catch {
      return [];
    }
    const stale = records.filter((r) => r.cmdline !== '' && readCmdline(r.pid) === r.cmdline && groupAlive(r.pgid));
    for (const r of stale) signalGroup(r.pgid, 'SIGTERM');
    await Promise.all(
      stale.map(async (r) => {
        if (!(await waitForGroupExit(r.pgid, 3000))) signalGroup(r.pgid, 'SIGKILL');
      }),
    );
    this.save();
    return stale;
  }

  private save(): void {
    // Write-then-rename: a crash mid-write leaves the old file, never a torn one.
    // A failed write costs only crash recovery, never a running server: warn once and go on.
    const tmp = `${this.file}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify([...this.live.values()]));
      renameSync(tmp, this.file);
      this.warned = false;
    } catch (err) {
      if (!this.warned) this.onWriteError(`cannot record child processes in ${this.file}: ${(err as Error).message}`);
      this.warned = true;
    }
  }
}
