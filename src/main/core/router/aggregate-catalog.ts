import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Listeners } from '../util/listeners.js';
import type { Logger } from '../util/logger.js';
import { NameTable } from './aggregate-names.js';
import type { AggregateMember, AggregateSource } from './aggregate-source.js';
import { namespaceUri, splitUri } from './aggregate-uris.js';
import { ListWatcher, type ChangeKind } from './aggregate-watcher.js';
import { toolAllowed } from './tool-filter.js';

type ListKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';
type Item = Record<string, unknown>;

const LISTS: Record<ListKind, { method: string; capability: string; change: ChangeKind }> = {
  tools: { method: 'tools/list', capability: 'tools', change: 'tools' },
  prompts: { method: 'prompts/list', capability: 'prompts', change: 'prompts' },
  resources: { method: 'resources/list', capability: 'resources', change: 'resources' },
  resourceTemplates: { method: 'resources/templates/list', capability: 'resources', change: 'resources' },
};
const KINDS = Object.keys(LISTS) as ListKind[];
/** A server that pages forever must not hold the aggregate hostage. */
const MAX_PAGES = 50;

interface Entry {
  member: AggregateMember;
  lists: Partial<Record<ListKind, Item[]>>;
  loads: Set<Promise<void>>;
  /** Bumped per load, so an older answer that arrives late is dropped. */
  generation: Record<ListKind, number>;
  watcher: ListWatcher | null;
}

export interface Target {
  member: AggregateMember;
  /** The name or URI as the owning server knows it. */
  original: string;
}

/**
 * The lists of every aggregated server, fetched with Switchboard's own requests (`router.request`), cached, and
 * refreshed on each server's list_changed and whenever the set of servers changes. It publishes one merged view
 * (collision-safe names, namespaced URIs) and says which kinds changed, so clients hear one list_changed each.
 */
export class AggregateCatalog {
  readonly changed = new Listeners<ChangeKind>();
  readonly membersChanged = new Listeners<void>();
  private entries = new Map<string, Entry>();
  private tools = new NameTable<Tool>([]);
  private prompts = new NameTable<Prompt>([]);
  resources: Resource[] = [];
  templates: ResourceTemplate[] = [];
  private published: Record<ChangeKind, string> = { tools: '[]', prompts: '[]', resources: '[[],[]]' };
  private publishTimer: NodeJS.Immediate | null = null;
  /** List requests waiting in `ready`, woken by each `sync` (a server started, failed or went away). */
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly source: AggregateSource,
    private readonly logger: Logger,
    private readonly listTimeoutMs: number,
  ) {}

  get toolList(): Tool[] {
    return this.tools.items;
  }

  get promptList(): Prompt[] {
    return this.prompts.items;
  }

  members(): AggregateMember[] {
    return [...this.entries.values()].map((e) => e.member);
  }

  member(name: string): AggregateMember | undefined {
    return this.entries.get(name)?.member;
  }

  /** Reconciles with the source: new servers are listed, gone ones dropped, filters updated. */
  sync(): void {
    const next = this.source.servers();
    let changed = next.map((m) => m.name).join('\0') !== [...this.entries.keys()].join('\0');
    const entries = new Map<string, Entry>();
    for (const member of next) {
      let entry = this.entries.get(member.name);
      if (entry && entry.member.router !== member.router) {
        this.drop(entry);
        entry = undefined;
      }
      if (!entry) {
        entry = this.add(member);
        changed = true;
      } else if (JSON.stringify(entry.member.toolFilter) !== JSON.stringify(member.toolFilter)) changed = true;
      entry.member = member;
      entries.set(member.name, entry);
    }
    for (const [name, entry] of this.entries) if (entries.get(name) !== entry) this.drop(entry);
    this.entries = entries;
    for (const wake of [...this.waiters]) wake();
    if (!changed) return;
    this.membersChanged.emit();
    this.schedulePublish();
  }

  /** List requests waiting in `ready` now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /**
   * Waits (at most `timeoutMs`) for servers still starting to settle and for lists still loading, then
   * publishes, so a list request during startup sees every server that is coming. A server that is installing
   * (minutes) is not waited for: it joins later, with a list_changed, like any server that starts later.
   */
  async ready(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        resolve();
      }, timeoutMs);
    });
    let wake = () => {};
    const synced = () => new Promise<void>((resolve) => this.waiters.add((wake = resolve)));
    try {
      while (!expired) {
        const pending = [...this.entries.values()].flatMap((e) => [...e.loads]);
        const starting = this.source.starting?.() ?? [];
        if (pending.length === 0 && starting.length === 0) break;
        await Promise.race([synced(), timeout, ...(pending.length > 0 ? [Promise.allSettled(pending)] : [])]);
        this.waiters.delete(wake);
      }
    } finally {
      this.waiters.delete(wake);
      clearTimeout(timer);
    }
    this.publish();
  }

  resolveTool(exposed: string): Target | undefined {
    const owned = this.tools.resolve(exposed);
    const member = owned && this.member(owned.server);
    return member && { member, original: owned.name };
  }

  resolvePrompt(exposed: string): Target | undefined {
    const owned = this.prompts.resolve(exposed);
    const member = owned && this.member(owned.server);
    return member && { member, original: owned.name };
  }

  resolveUri(uri: string): Target | undefined {
    const split = splitUri(uri);
    const member = split && this.member(split.server);
    return member && { member, original: split.uri };
  }

  /**
   * The servers that serve a URI given without the aggregate's prefix: those that list it, or have a template
   * it matches. The caller routes it when there is exactly one.
   */
  ownersOf(uri: string): AggregateMember[] {
    const owners: AggregateMember[] = [];
    for (const entry of this.entries.values()) {
      const listed = (entry.lists.resources ?? []).some((r) => r.uri === uri);
      const templated = (entry.lists.resourceTemplates ?? []).some(
        (t) => typeof t.uriTemplate === 'string' && templateMatches(t.uriTemplate, uri),
      );
      if (listed || templated) owners.push(entry.member);
    }
    return owners;
  }

  dispose(): void {
    if (this.publishTimer) clearImmediate(this.publishTimer);
    for (const entry of this.entries.values()) this.drop(entry);
    this.entries.clear();
    this.changed.clear();
    this.membersChanged.clear();
  }

  private add(member: AggregateMember): Entry {
    const entry: Entry = {
      member,
      lists: {},
      loads: new Set(),
      generation: { tools: 0, prompts: 0, resources: 0, resourceTemplates: 0 },
      watcher: null,
    };
    if (member.shared !== false) {
      entry.watcher = new ListWatcher(member, (change) => {
        if (this.entries.get(member.name) !== entry) return;
        for (const kind of KINDS) if (LISTS[kind].change === change) this.load(entry, kind);
      });
    }
    for (const kind of KINDS) this.load(entry, kind);
    return entry;
  }

  private drop(entry: Entry): void {
    entry.watcher?.close();
    entry.watcher = null;
    for (const kind of KINDS) entry.generation[kind]++;
  }

  private load(entry: Entry, kind: ListKind): void {
    const { router } = entry.member;
    const caps = router.serverInitialize?.capabilities as Record<string, unknown> | undefined;
    if (caps && !caps[LISTS[kind].capability]) {
      entry.lists[kind] = [];
      return;
    }
    const generation = ++entry.generation[kind];
    const load: Promise<void> = this.fetchAll(entry.member, kind)
      .then(
        (items) => {
          if (entry.generation[kind] === generation) entry.lists[kind] = items;
        },
        (err: Error) => {
          this.logger.debug(`could not list ${kind}`, { server: entry.member.name, error: err.message });
          if (entry.generation[kind] === generation) entry.lists[kind] = [];
        },
      )
      .finally(() => {
        entry.loads.delete(load);
        this.schedulePublish();
      });
    entry.loads.add(load);
  }

  private async fetchAll(member: AggregateMember, kind: ListKind): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params = cursor === undefined ? {} : { cursor };
      const result = (await member.router.request(LISTS[kind].method, params, this.listTimeoutMs)) as Item | null;
      const list = result?.[kind];
      if (Array.isArray(list)) items.push(...(list as Item[]));
      cursor = typeof result?.nextCursor === 'string' ? result.nextCursor : undefined;
      if (cursor === undefined) break;
    }
    return items;
  }

  private schedulePublish(): void {
    // Coalesced: several servers answering in one turn make one merged view and one list_changed.
    this.publishTimer ??= setImmediate(() => this.publish());
  }

  private publish(): void {
    if (this.publishTimer) clearImmediate(this.publishTimer);
    this.publishTimer = null;
    const entries = [...this.entries.values()];
    const owned = <T>(kind: ListKind, keep: (e: Entry, item: Item) => boolean = () => true) =>
      entries.flatMap((e) =>
        (e.lists[kind] ?? [])
          .filter((item) => keep(e, item))
          .map((item) => ({ server: e.member.name, item: item as T })),
      );
    this.tools = new NameTable<Tool>(owned<Tool>('tools', (e, t) => toolAllowed(e.member.toolFilter, String(t.name))));
    this.prompts = new NameTable<Prompt>(owned<Prompt>('prompts'));
    this.resources = owned<Resource>('resources').map(({ server, item }) => ({
      ...item,
      uri: namespaceUri(server, item.uri),
    }));
    this.templates = owned<ResourceTemplate>('resourceTemplates').map(({ server, item }) => ({
      ...item,
      uriTemplate: namespaceUri(server, item.uriTemplate),
    }));
    const views: Record<ChangeKind, unknown> = {
      tools: this.tools.items,
      prompts: this.prompts.items,
      resources: [this.resources, this.templates],
    };
    for (const kind of Object.keys(views) as ChangeKind[]) {
      const json = JSON.stringify(views[kind]);
      if (json === this.published[kind]) continue;
      this.published[kind] = json;
      this.changed.emit(kind);
    }
  }
}

/** Whether `uri` is one a RFC 6570 template can expand to (each expression as a loose wildcard of its kind). */
export function templateMatches(template: string, uri: string): boolean {
  let pattern = '';
  let last = 0;
  for (const m of template.matchAll(/\{([+#./;?&]?)[^}]*\}/g)) {
    pattern += template.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const op = m[1];
    pattern += op === '+' || op === '#' ? '.*' : op === '?' || op === '&' ? '(?:[?&].*)?' : '[^/?#]*';
    last = m.index! + m[0].length;
  }
  pattern += template.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${pattern}$`).test(uri);
}
