import { createHash } from 'node:crypto';

/** The names clients accept for tools and prompts; several reject anything else, so every exposed name matches. */
export const EXPOSED_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LENGTH = 64;
const HASH_LENGTH = 8;

/** A tool or prompt as its own server names it. */
export interface Owned {
  server: string;
  name: string;
}

function sanitize(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** Eight hex digits of the owner and original name: stable across runs, so a client's saved name keeps working. */
function hashOf(o: Owned): string {
  return createHash('sha256').update(`${o.server}\0${o.name}`).digest('hex').slice(0, HASH_LENGTH);
}

function withHash(base: string, o: Owned): string {
  return `${base.slice(0, MAX_LENGTH - HASH_LENGTH - 1)}_${hashOf(o)}`;
}

function fit(candidate: string, o: Owned): string {
  return candidate.length > 0 && candidate.length <= MAX_LENGTH ? candidate : withHash(candidate, o);
}

/** `<server>__<name>`, sanitized and shortened: the form a name takes when it collides (always accepted). */
export function prefixedName(o: Owned): string {
  return fit(`${sanitize(o.server)}__${sanitize(o.name)}`, o);
}

/**
 * Exposed names for `entries`, in order. A name stays as it is when it is valid and no other server has it;
 * names that collide get their server's prefix; an invalid unique name is sanitized; whatever still collides
 * (a prefix that equals another server's own name, two sanitized names) gets a hash suffix. Deterministic for
 * a given set of servers and names.
 */
export function assignNames(entries: Owned[]): string[] {
  const owners = new Map<string, number>();
  for (const e of entries) owners.set(e.name, (owners.get(e.name) ?? 0) + 1);
  const names = entries.map((e) => {
    if (owners.get(e.name)! > 1) return prefixedName(e);
    return EXPOSED_NAME.test(e.name) ? e.name : fit(sanitize(e.name), e);
  });
  const uses = new Map<string, number>();
  for (const n of names) uses.set(n, (uses.get(n) ?? 0) + 1);
  names.forEach((n, i) => {
    if (uses.get(n)! > 1 && n !== entries[i]!.name) names[i] = withHash(n, entries[i]!);
  });
  // Two identical entries (a server listing a name twice) are the only way left to collide: number them.
  const seen = new Set<string>();
  return names.map((n, i) => {
    let name = n;
    for (let k = 2; seen.has(name); k++) name = withHash(n, { ...entries[i]!, name: `${entries[i]!.name}\0${k}` });
    seen.add(name);
    return name;
  });
}

/** Exposed name ↔ owner, both ways, for one kind (tools or prompts). */
export class NameTable<T extends { name: string }> {
  readonly items: T[] = [];
  private readonly byExposed = new Map<string, Owned>();
  private readonly byPrefixed = new Map<string, Owned>();

  constructor(owned: Array<{ server: string; item: T }>) {
    const entries = owned.map(({ server, item }) => ({ server, name: item.name }));
    const names = assignNames(entries);
    owned.forEach(({ item }, i) => {
      this.items.push({ ...item, name: names[i]! });
      this.byExposed.set(names[i]!, entries[i]!);
      this.byPrefixed.set(prefixedName(entries[i]!), entries[i]!);
    });
  }

  /**
   * The owner of an exposed name. The prefixed form is accepted even when the listed name is bare, so a client
   * that saved `fx__echo` while two servers had `echo` still reaches it after the other one stopped.
   */
  resolve(exposed: string): Owned | undefined {
    return this.byExposed.get(exposed) ?? this.byPrefixed.get(exposed);
  }
}
