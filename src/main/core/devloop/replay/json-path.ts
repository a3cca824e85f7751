/**
 * The part of JSONPath a user needs to mark a field volatile: `$.result.content[0].text`, `$..timestamp`,
 * `$.result.items[*].id`, `$['odd key']`. Matched against the concrete path of a value, never evaluated.
 */
export type PathStep = string | number;
type Segment = { kind: 'key'; name: string } | { kind: 'index'; n: number } | { kind: 'any' } | { kind: 'descend' };

export class JsonPathError extends Error {}

export function parseJsonPath(text: string): Segment[] {
  if (!text.startsWith('$')) throw new JsonPathError(`"${text}" is not a JSONPath: it must start with $`);
  const out: Segment[] = [];
  let i = 1;
  const name = () => {
    const m = /^[A-Za-z0-9_$@-]+/.exec(text.slice(i));
    if (!m) throw new JsonPathError(`"${text}": expected a name at position ${i}`);
    i += m[0].length;
    return m[0];
  };
  while (i < text.length) {
    if (text.startsWith('..', i)) {
      i += 2;
      out.push({ kind: 'descend' });
      if (text[i] === '*') {
        i++;
        out.push({ kind: 'any' });
      } else if (text[i] !== '[') out.push({ kind: 'key', name: name() });
    } else if (text[i] === '.') {
      i++;
      if (text[i] === '*') {
        i++;
        out.push({ kind: 'any' });
      } else out.push({ kind: 'key', name: name() });
    } else if (text[i] === '[') {
      const end = text.indexOf(']', i);
      if (end === -1) throw new JsonPathError(`"${text}": a [ is never closed`);
      const inner = text.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') out.push({ kind: 'any' });
      else if (/^\d+$/.test(inner)) out.push({ kind: 'index', n: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) out.push({ kind: 'key', name: inner.slice(1, -1) });
      else throw new JsonPathError(`"${text}": [${inner}] is not an index, * or a quoted name`);
    } else throw new JsonPathError(`"${text}": unexpected "${text[i]}" at position ${i}`);
  }
  return out;
}

/** Whether a concrete path (keys and indexes from the root) is one the pattern names, or lies under one. */
export function pathMatches(pattern: Segment[], path: readonly PathStep[]): boolean {
  const match = (p: number, q: number): boolean => {
    if (p === pattern.length) return true; // everything under a matched node is covered too
    if (q > path.length) return false;
    const seg = pattern[p]!;
    if (seg.kind === 'descend') {
      for (let k = q; k <= path.length; k++) if (match(p + 1, k)) return true;
      return false;
    }
    if (q === path.length) return false;
    const step = path[q]!;
    if (seg.kind === 'any') return match(p + 1, q + 1);
    if (seg.kind === 'index') return step === seg.n && match(p + 1, q + 1);
    return step === seg.name && match(p + 1, q + 1);
  };
  return match(0, 0);
}

/** `$.result.content[0].text`: how a path is printed (and can be pasted back as an --ignore). */
export function formatPath(path: readonly PathStep[]): string {
  return (
    '$' +
    path
      .map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s) ? `.${s}` : `['${s}']`))
      .join('')
  );
}
