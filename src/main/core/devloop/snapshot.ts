import type { SchemaSnapshot } from './schema-diff.js';

/** How a snapshot asks the server something: a ClientRouter's `request`, or the linter's own stdio client. */
export type Requester = (method: string, params?: Record<string, unknown>) => Promise<unknown>;

type Json = Record<string, unknown>;

/** A server that pages forever (a cursor that never ends) is cut here, not followed into a loop. */
const MAX_PAGES = 100;

const lists = [
  { method: 'tools/list', field: 'tools', key: 'tools', capability: 'tools' },
  { method: 'resources/list', field: 'resources', key: 'resources', capability: 'resources' },
  {
    method: 'resources/templates/list',
    field: 'resourceTemplates',
    key: 'resourceTemplates',
    capability: 'resources',
  },
  { method: 'prompts/list', field: 'prompts', key: 'prompts', capability: 'prompts' },
] as const;

/** Every page of one list, following `nextCursor`; each page's raw result goes to `onPage` (the linter checks it). */
export async function listAll(
  request: Requester,
  method: string,
  field: string,
  onPage?: (result: unknown) => void,
): Promise<Json[]> {
  const items: Json[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await request(method, cursor === undefined ? {} : { cursor })) as Json;
    onPage?.(result);
    const got = result?.[field];
    if (Array.isArray(got)) items.push(...(got as Json[]));
    const next = result?.nextCursor;
    if (typeof next !== 'string' || seen.has(next)) break;
    seen.add(next);
    cursor = next;
  }
  return items;
}

/**
 * Lists everything a server offers, all pages. Only what its capabilities declare is asked for (asking for the
 * rest is an error some servers log loudly); with no capabilities known, every list is tried and a refusal is
 * taken as "none".
 */
export async function takeSnapshot(request: Requester, capabilities: Json | null | undefined): Promise<SchemaSnapshot> {
  const snapshot: SchemaSnapshot = { tools: [], resources: [], resourceTemplates: [], prompts: [] };
  for (const list of lists) {
    if (capabilities && capabilities[list.capability] === undefined) continue;
    try {
      snapshot[list.key] = await listAll(request, list.method, list.field);
    } catch (err) {
      if (capabilities) throw err;
    }
  }
  return snapshot;
}
