import { formatPath, pathMatches, type PathStep, parseJsonPath } from './json-path.js';

export interface Difference {
  /** Where in the response, as a JSONPath: `$.result.content[0].text`. */
  path: string;
  /** undefined: absent on that side. */
  before: unknown;
  after: unknown;
}

/** Keys whose values are times by name; ISO-8601 date-times are recognised by their form wherever they sit. */
const TIME_KEYS =
  /^(time|timestamp|date|created|updated|modified|createdAt|updatedAt|modifiedAt|lastModified|expiresAt)$/i;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Compares a recorded response with a new one, field by field. The envelope's `id` and `jsonrpc` never count
 * (the replay has its own ids), nor do timestamps (by key name or ISO form on both sides), nor the paths given.
 */
export function compareResponses(before: unknown, after: unknown, ignore: readonly string[] = []): Difference[] {
  const patterns = [...ignore.map(parseJsonPath), parseJsonPath('$.id'), parseJsonPath('$.jsonrpc')];
  const out: Difference[] = [];
  const walk = (a: unknown, b: unknown, path: PathStep[]) => {
    if (patterns.some((p) => pathMatches(p, path))) return;
    const key = path.at(-1);
    if (typeof key === 'string' && TIME_KEYS.test(key) && a !== undefined && b !== undefined) return;
    if (typeof a === 'string' && typeof b === 'string' && ISO_DATE_TIME.test(a) && ISO_DATE_TIME.test(b)) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], [...path, i]);
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], [...path, k]);
      return;
    }
    if (a !== b) out.push({ path: formatPath(path), before: a, after: b });
  };
  walk(before, after, []);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
