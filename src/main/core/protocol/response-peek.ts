/**
 * Reads what the router needs from a large server response without building it: is the text one valid JSON object
 * with a numeric `id`, a `result` or an `error`, and no `method`; and where in the text the id is. A 1 MiB tool
 * result then crosses the gateway with its id swapped in the text, instead of JSON.parse, JSON.stringify and three
 * fresh megabyte copies (issue 15: 2.3× direct stdio before).
 *
 * The scan validates the JSON grammar as JSON.parse would, so nothing malformed is ever forwarded as if it were
 * fine; anything it is unsure of (a control character, deep nesting, a duplicate key, an id that is not a plain
 * safe integer) returns null and the caller parses the ordinary way. Strings, which are nearly all of a large
 * result, are skipped with indexOf, not character by character.
 */

export interface PeekedResponse {
  /** The server's id: the router's own upstream id, always a safe integer. */
  id: number;
  /** Where the id's digits are in the text. */
  idStart: number;
  idEnd: number;
  isError: boolean;
}

/** Below this size JSON.parse is cheaper than thinking about it. */
export const PEEK_MIN_CHARS = 64 * 1024;

const MAX_DEPTH = 512;
// JSON forbids raw control characters in strings; outside them only tab, LF and CR are whitespace. A text with
// any of them takes the ordinary path, which reports or accepts it exactly as before.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

const C = {
  Quote: 0x22,
  Backslash: 0x5c,
  Comma: 0x2c,
  Colon: 0x3a,
  OpenBrace: 0x7b,
  CloseBrace: 0x7d,
  OpenBracket: 0x5b,
  CloseBracket: 0x5d,
  Space: 0x20,
} as const;

/**
 * Positions of the next quote and backslash at or after a point, kept across strings: each is searched for again
 * only once the scan has passed it, so a text is searched through about once, however many strings it has.
 */
class Finder {
  private quote = -2;
  private backslash = -2;

  constructor(private readonly t: string) {}

  next(what: '"' | '\\', from: number): number {
    if (what === '"') {
      if (this.quote !== -1 && this.quote < from) this.quote = this.t.indexOf('"', from);
      return this.quote;
    }
    if (this.backslash !== -1 && this.backslash < from) this.backslash = this.t.indexOf('\\', from);
    return this.backslash;
  }
}

/** The end (exclusive) of the string starting at `i` (its opening quote), or -1 if it is not a valid string. */
function skipString(t: string, i: number, find: Finder): number {
  let j = i + 1;
  for (;;) {
    const quote = find.next('"', j);
    if (quote < 0) return -1;
    const escape = find.next('\\', j);
    if (escape < 0 || escape > quote) return quote + 1;
    const c = t.charCodeAt(escape + 1);
    if (c === 0x75 /* u */) {
      if (!HEX4.test(t.slice(escape + 2, escape + 6))) return -1;
      j = escape + 6;
    } else if (c === C.Quote || c === C.Backslash || c === 0x2f || 'bfnrt'.includes(t[escape + 1] ?? '')) {
      j = escape + 2;
    } else return -1;
  }
}

/** The end (exclusive) of the number, true, false or null at `i`, or -1. */
function skipScalar(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 0x74 /* t */) return t.startsWith('true', i) ? i + 4 : -1;
  if (c === 0x66 /* f */) return t.startsWith('false', i) ? i + 5 : -1;
  if (c === 0x6e /* n */) return t.startsWith('null', i) ? i + 4 : -1;
  NUMBER.lastIndex = i;
  return NUMBER.test(t) ? NUMBER.lastIndex : -1;
}

function skipSpace(t: string, i: number): number {
  while (i < t.length && t.charCodeAt(i) === C.Space) i++;
  return i;
}

export function peekResponse(t: string): PeekedResponse | null {
  if (CONTROL.test(t)) return null;
  let i = skipSpace(t, 0);
  if (t.charCodeAt(i) !== C.OpenBrace) return null;
  const find = new Finder(t);
  // The containers open around the current position: true for an object, false for an array.
  const stack: boolean[] = [];
  let id: { start: number; end: number } | null = null;
  let method = false;
  let result = false;
  let error = false;
  let topKey: string | null = null;
  // What may come next: a value, or (inside an object) a key.
  let expectKey = false;
  for (;;) {
    i = skipSpace(t, i);
    if (i >= t.length) return null;
    let c = t.charCodeAt(i);
    if (expectKey) {
      if (c !== C.Quote) return null;
      const end = skipString(t, i, find);
      if (end < 0) return null;
      if (stack.length === 1) {
        topKey = t.slice(i + 1, end - 1);
        const seen = topKey === 'id' ? id : topKey === 'result' ? result : topKey === 'error' ? error : false;
        if (seen) return null; // a duplicate key: JSON.parse keeps the last, so let it decide
      }
      i = skipSpace(t, end);
      if (t.charCodeAt(i) !== C.Colon) return null;
      i++;
      expectKey = false;
      continue;
    }
    // A value starts at i.
    const valueStart = i;
    if (c === C.OpenBrace || c === C.OpenBracket) {
      if (stack.length === 1) noteTopKey();
      if (stack.length >= MAX_DEPTH) return null;
      stack.push(c === C.OpenBrace);
      i = skipSpace(t, i + 1);
      const close = c === C.OpenBrace ? C.CloseBrace : C.CloseBracket;
      if (t.charCodeAt(i) === close) {
        stack.pop();
        i++;
      } else {
        expectKey = c === C.OpenBrace;
        continue;
      }
    } else {
      const end = c === C.Quote ? skipString(t, i, find) : skipScalar(t, i);
      if (end < 0) return null;
      if (stack.length === 1) {
        if (topKey === 'id') {
          if (c === C.Quote) return null; // a string id is never one of the router's
          id = { start: valueStart, end };
        }
        noteTopKey();
      }
      i = end;
    }
    // After a value: a comma, or the close of the container.
    for (;;) {
      if (stack.length === 0) {
        if (skipSpace(t, i) !== t.length) return null;
        return finish();
      }
      i = skipSpace(t, i);
      c = t.charCodeAt(i);
      if (c === C.Comma) {
        i++;
        expectKey = stack[stack.length - 1]!;
        break;
      }
      const inObject = stack[stack.length - 1]!;
      if (c !== (inObject ? C.CloseBrace : C.CloseBracket)) return null;
      stack.pop();
      i++;
    }
  }

  function noteTopKey(): void {
    if (topKey === 'method') method = true;
    else if (topKey === 'result') result = true;
    else if (topKey === 'error') error = true;
  }

  function finish(): PeekedResponse | null {
    if (!id || method || result === error) return null;
    const text = t.slice(id.start, id.end);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || String(value) !== text) return null;
    return { id: value, idStart: id.start, idEnd: id.end, isError: error };
  }
}
