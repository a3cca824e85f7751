import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  bootId,
  groupAlive,
  groupMembers,
  isSignallableGroup,
  readProcStat,
  signalGroup,
  waitForGroupExit,
} from './process-group.js';

const pidSchema = z.number().int().gt(1);

/** One line of children.json; anything else in the file is ignored with a warning, never trusted. */
const childRecordSchema = z.object({
  server: z.string(),
  pid: pidSchema,
  pgid: pidSchema,
  /** The command line as the OS reports it (/proc/<pid>/cmdline), captured right after spawning. */
  cmdline: z.string(),
  startedAt: z.number(),
  /** Linux: the leader's start time in clock ticks since boot (/proc/<pid>/stat field 22), and that boot's id. */
  startTicks: z.number().int().nonnegative().nullable().optional(),
  bootId: z.string().nullable().optional(),
});

/** What we record of each child, so a later run can tell a stale child of ours from a recycled pid. */
export type ChildRecord = z.infer<typeof childRecordSchema>;

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
 * the file and ends the process groups it left behind — the leader's and its grandchildren's — but only groups
 * it can prove are still the ones it recorded, so a pid or pgid the OS has since given to another program is
 * never touched.
 */
export class ChildRegistry {
  private readonly file: string;
  private readonly live = new Map<number, ChildRecord>();
  private readonly boot = bootId();

  private warnedWrite = false;

  constructor(
    dataDir: string,
    /** Warnings: a record that cannot be written or read. Crash recovery is best effort, never a crash. */
    private readonly warn: (message: string) => void = () => {},
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'children.json');
  }

  add(server: string, pid: number): void {
    if (!isSignallableGroup(pid)) return; // nothing we could ever signal, so nothing worth recording
    const stat = readProcStat(pid);
    this.live.set(pid, {
      server,
      pid,
      pgid: pid,
      cmdline: readCmdline(pid) ?? '',
      startedAt: Date.now(),
      startTicks: stat?.startTicks ?? null,
      bootId: this.boot,
    });
    this.save();
  }

  remove(pid: number): void {
    if (this.live.delete(pid)) this.save();
  }

  /** Ends the stale process groups of an earlier run; returns their records. Call before starting any server. */
  async reapStale(): Promise<ChildRecord[]> {
    const stale = this.readRecords().filter((r) => this.stillOurs(r));
    for (const r of stale) signalGroup(r.pgid, 'SIGTERM');
    await Promise.all(
      stale.map(async (r) => {
        if (!(await waitForGroupExit(r.pgid, 3000))) signalGroup(r.pgid, 'SIGKILL');
      }),
    );
    this.save();
    return stale;
  }

  /** The valid records of the file; a missing file is an empty list, a corrupt one a single warning. */
  private readRecords(): ChildRecord[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.warn(`cannot read ${this.file} (${(err as Error).message}): children of an earlier run are not ended`);
      }
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      this.warn(`ignoring ${this.file}: not JSON (${(err as Error).message})`);
      return [];
    }
    if (!Array.isArray(parsed)) {
      this.warn(`ignoring ${this.file}: expected a list of child records, found ${describe(parsed)}`);
      return [];
    }
    const records: ChildRecord[] = [];
    let bad = 0;
    for (const item of parsed) {
      const result = childRecordSchema.safeParse(item);
      if (result.success) records.push(result.data);
      else bad++;
    }
    if (bad > 0) this.warn(`ignoring ${bad} of ${parsed.length} records in ${this.file}: not a valid child record`);
    return records;
  }

  /**
   * Whether the recorded group is still the one our child led. Linux: every process whose pgrp is the recorded
   * pgid, found in /proc, leader or not. The kernel keeps a pgid's number from being reused while any process
   * is in that group, so surviving members are ours — checked against the leader's recorded start time (and
   * boot) in case the group emptied and the number was handed out again. Elsewhere, or for a record without a
   * start time: the leader must be alive
   * with the recorded command line.
   */
  private stillOurs(r: ChildRecord): boolean {
    if (r.pgid !== r.pid || !isSignallableGroup(r.pgid)) return false; // we only ever record leaders
    if (process.platform === 'linux' && r.startTicks != null && r.bootId && r.bootId === this.boot) {
      const members = groupMembers(r.pgid);
      if (members.length === 0) return false;
      if (members.some((m) => m.startTicks === null || m.startTicks < r.startTicks!)) return false;
      const leader = members.find((m) => m.pid === r.pid);
      // Same pid and same start time is the same process, even if it has since exec'd another program.
      return !leader || leader.startTicks === r.startTicks;
    }
    return r.cmdline !== '' && readCmdline(r.pid) === r.cmdline && groupAlive(r.pgid);
  }

  private save(): void {
    // Write-then-rename: a crash mid-write leaves the old file, never a torn one.
    // A failed write costs only crash recovery, never a running server: warn once and go on.
    const tmp = `${this.file}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify([...this.live.values()]));
      renameSync(tmp, this.file);
      this.warnedWrite = false;
    } catch (err) {
      if (!this.warnedWrite) this.warn(`cannot record child processes in ${this.file}: ${(err as Error).message}`);
      this.warnedWrite = true;
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
