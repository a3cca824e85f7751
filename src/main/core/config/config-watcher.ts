import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ServerDefinitionInput } from '../../../shared/server-definition.js';
import type { ServerView } from '../../../shared/app-api.js';
import { Listeners } from '../util/listeners.js';
import type { Logger } from '../util/logger.js';
import { loadMcpServersFile, type ServerSpec } from './server-config.js';

/** What a reload changes; the registry behind it is the host's (AppService in `serve`). */
export interface ConfigTarget {
  add(spec: ServerSpec): Promise<void>;
  update(spec: ServerSpec): Promise<void>;
  remove(name: string): Promise<void>;
}

export type ReloadOutcome =
  | {
      ok: true;
      added: string[];
      removed: string[];
      changed: string[];
      failed: Array<{ name: string; message: string }>;
    }
  | { ok: false; message: string };

export interface ConfigWatcherOptions {
  path: string;
  target: ConfigTarget;
  logger: Logger;
  /** Editors write a file in several steps (truncate, write, rename): one reload after they settle. */
  debounceMs?: number;
}

/**
 * Keeps the servers of a `serve --config` file in step with the file while Switchboard runs. It watches the
 * file's folder, not the file: editors that save by writing a new file and renaming it over the old one would
 * leave a watch on the file itself pointing at a deleted inode. A reload compares the file with the last state
 * that loaded: new entries are added, missing ones removed, changed ones updated (which restarts them), and the
 * others are not touched, so their children and sessions carry on. A file that does not load changes nothing.
 */
export class ConfigWatcher {
  /** One message per reload that went wrong, for the dashboard. */
  readonly problems = new Listeners<string>();
  readonly reloads = new Listeners<ReloadOutcome>();
  private readonly path: string;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastGood = new Map<string, ServerSpec>();
  private lastText: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ConfigWatcherOptions) {
    this.path = resolve(o.path);
  }

  /** Starts watching; `current` is what the host loaded from the file at start. */
  async start(): Promise<void> {
    try {
      this.lastText = await readFile(this.path, 'utf8');
      this.lastGood = new Map(loadMcpServersFile(this.path).servers.map((s) => [s.name, s]));
    } catch {
      // The host already reported a file it could not load; the first good edit is compared with nothing.
    }
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), (_event, file) => {
      if (file === null || file.toString() === name) this.schedule();
    });
    this.watcher.on('error', (err) => this.o.logger.warn(`watching ${this.path} stopped: ${err.message}`));
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.watcher) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reload();
    }, this.o.debounceMs ?? 150);
  }

  /** Applies the file as it is now; reloads run one at a time, in order. */
  reload(): Promise<ReloadOutcome | null> {
    const next = this.chain.then(() => this.reloadNow());
    this.chain = next.catch(() => {});
    return next;
  }

  private async reloadNow(): Promise<ReloadOutcome | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      // Between an editor's unlink and rename the file is briefly absent: the rename brings another event.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return this.report({ ok: false, message: `${this.path}: ${(err as Error).message}` });
    }
    if (text === this.lastText) return null; // touched, or several events for one save
    let servers: ServerSpec[];
    try {
      servers = loadMcpServersFile(this.path).servers;
    } catch (err) {
      this.lastText = text; // reported once; the same bad text is not reported again
      return this.report({ ok: false, message: `${(err as Error).message}; the servers keep running as they were` });
    }
    this.lastText = text;
    const next = new Map(servers.map((s) => [s.name, s]));
    const outcome = { ok: true as const, added: [] as string[], removed: [] as string[], changed: [] as string[] };
    const failed: Array<{ name: string; message: string }> = [];
    const attempt = async (name: string, list: string[], step: () => Promise<void>) => {
      try {
        await step();
        list.push(name);
      } catch (err) {
        failed.push({ name, message: (err as Error).message });
      }
    };
    for (const name of this.lastGood.keys()) {
      if (!next.has(name)) await attempt(name, outcome.removed, () => this.o.target.remove(name));
    }
    for (const [name, spec] of next) {
      const before = this.lastGood.get(name);
      if (!before) await attempt(name, outcome.added, () => this.o.target.add(spec));
      else if (!sameSpec(before, spec)) await attempt(name, outcome.changed, () => this.o.target.update(spec));
    }
    this.lastGood = next;
    return this.report({ ...outcome, failed });
  }

  private report(outcome: ReloadOutcome): ReloadOutcome {
    if (!outcome.ok) {
      this.o.logger.warn(`config reload refused: ${outcome.message}`);
      this.problems.emit(`Config file not applied: ${outcome.message}`);
    } else {
      const parts = (['added', 'removed', 'changed'] as const)
        .filter((k) => outcome[k].length)
        .map((k) => `${k} ${outcome[k].join(', ')}`);
      if (parts.length) this.o.logger.info(`${this.path} reloaded: ${parts.join('; ')}`);
      for (const f of outcome.failed) {
        this.o.logger.warn(`${this.path}: server "${f.name}" not applied: ${f.message}`);
        this.problems.emit(`Config file: server "${f.name}" not applied: ${f.message}`);
      }
    }
    this.reloads.emit(outcome);
    return outcome;
  }
}

function sameSpec(a: ServerSpec, b: ServerSpec): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key order must not make two equal entries look different. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** The registry calls a reload makes, through the same AppService the dashboard uses (store and engine). */
export interface ServerRegistry {
  listServers(): Promise<ServerView[]>;
  addServer(definition: ServerDefinitionInput): Promise<unknown>;
  updateServer(name: string, definition: ServerDefinitionInput): Promise<unknown>;
  removeServer(name: string): Promise<void>;
}

/** A target that writes through the registry: a changed entry keeps the enabled flag and options set elsewhere. */
export function registryTarget(registry: ServerRegistry): ConfigTarget {
  const definition = (spec: ServerSpec): ServerDefinitionInput => {
    const { passEnvironment, cwd, ...rest } = spec;
    return {
      ...rest,
      ...(cwd === undefined ? {} : { cwd }),
      ...(passEnvironment === undefined ? {} : { options: { passEnvironment } }),
    };
  };
  return {
    add: async (spec) => void (await registry.addServer(definition(spec))),
    update: async (spec) => {
      const current = (await registry.listServers()).find((s) => s.definition.name === spec.name);
      if (!current) return void (await registry.addServer(definition(spec)));
      const def = definition(spec);
      await registry.updateServer(spec.name, {
        ...def,
        enabled: current.definition.enabled,
        options: { ...current.definition.options, ...def.options },
      });
    },
    remove: async (name) => {
      const exists = (await registry.listServers()).some((s) => s.definition.name === name);
      if (exists) await registry.removeServer(name);
    },
  };
}
