import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Listeners } from '../util/listeners.js';

const decisionSchema = z.object({
  mode: z.literal('per-session'),
  reason: z.string(),
  at: z.number(),
});

/** What `auto` decided for one server: from `at` on, each new client session gets a child of its own. */
export type SharingDecision = z.infer<typeof decisionSchema>;

/**
 * The `auto` sharing mode's decisions, by server name, kept in a small JSON file in the data dir so a restart of
 * Switchboard does not forget what a server showed it needs. A corrupt file is a warning and an empty table.
 */
export class SharingDecisions {
  readonly changed = new Listeners<string>();
  private readonly decisions = new Map<string, SharingDecision>();

  constructor(
    private readonly file?: string,
    warn: (message: string) => void = () => {},
  ) {
    if (!file) return;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn(`ignored ${file}: ${(err as Error).message}`);
      return;
    }
    const parsed = z.record(z.string(), decisionSchema).safeParse(raw);
    if (!parsed.success) {
      warn(`ignored ${file}: not a table of sharing decisions`);
      return;
    }
    for (const [name, decision] of Object.entries(parsed.data)) this.decisions.set(name, decision);
  }

  get(name: string): SharingDecision | undefined {
    return this.decisions.get(name);
  }

  decide(name: string, reason: string): SharingDecision {
    const existing = this.decisions.get(name);
    if (existing) return existing;
    const decision: SharingDecision = { mode: 'per-session', reason, at: Date.now() };
    this.decisions.set(name, decision);
    this.save();
    this.changed.emit(name);
    return decision;
  }

  /** Forgets the decision: the server is shared again for new sessions until it shows otherwise. */
  reset(name: string): void {
    if (!this.decisions.delete(name)) return;
    this.save();
    this.changed.emit(name);
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.decisions), null, 2));
    renameSync(tmp, this.file);
  }
}
