import { isUtf8 } from 'node:buffer';

/**
 * Reads what the router needs from a large server response without building it: are the bytes one valid JSON
 * object with a numeric `id`, a `result` or an `error`, and no `method`; and where in them the id is. A 1 MiB tool
 * result then crosses the gateway as the server's bytes with its id swapped, instead of a decode, JSON.parse,
 * JSON.stringify and fresh megabyte copies (issue 15: 2.3× direct stdio before).
 *
 * The scan validates the JSON grammar as JSON.parse would, and the bytes as UTF-8, so nothing malformed is ever
 * forwarded as if it were fine; anything it is unsure of (a control character, deep nesting, a duplicate or
 * escaped top-level key, an id that is not a plain safe integer) returns null and the caller decodes and parses
 * the ordinary way. Strings, which are nearly all of a large result, are skipped with indexOf, not byte by byte.
 * JSON's structure is ASCII and UTF-8 never puts an ASCII byte inside a multi-byte character, so bytes can be
 * scanned as they are.
 */

export interface PeekedResponse {
  /** The server's id: the router's own upstream id, always a safe integer. */
  id: number;
  /** Where the id's digits are in the bytes. */
  idStart: number;
  idEnd: number;
  isError: boolean;
}

/** Below this size JSON.parse is cheaper than thinking about it. */
export const PEEK_MIN_BYTES = 64 * 1024;

const MAX_DEPTH = 512;

const C = {
  Quote: 0x22,
  Backslash: 0x5c,
  Slash: 0x2f,
  Comma: 0x2c,
  Colon: 0x3a,
  Minus: 0x2d,
  Plus: 0x2b,
  Dot: 0x2e,
  Zero: 0x30,
  Nine: 0x39,
  OpenBrace: 0x7b,
  CloseBrace: 0x7d,
  OpenBracket: 0x5b,
  CloseBracket: 0x5d,
  Space: 0x20,
} as const;

/** The escapes JSON allows after a backslash besides \u: " \ / b f n r t. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

const isDigit = (c: number | undefined) => c !== undefined && c >= C.Zero && c <= C.Nine;
const isHex = (c: number | undefined) =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

/**
 * JSON forbids raw control characters in strings; outside them only tab, LF and CR are whitespace, which this scan
 * does not accept either. Bytes with any of them take the ordinary path, which reports or accepts them exactly as
 * before. One native search per control character is faster than a loop over a megabyte.
 */
function hasControlByte(b: Buffer): boolean {
  for (let c = 0; c < 0x20; c++) if (b.indexOf(c) !== -1) return true;
  return false;
}

/**
 * Positions of the next quote and backslash at or after a point, kept across strings: each is searched for again
 * only once the scan has passed it, so the bytes are searched through about once, however many strings they have.
 */
class Finder {
  private quote = -2;
  private backslash = -2;

  constructor(private readonly b: Buffer) {}

  next(what: typeof C.Quote | typeof C.Backslash, from: number): number {
    if (what === C.Quote) {
      if (this.quote !== -1 && this.quote < from) this.quote = this.b.indexOf(C.Quote, from);
      return this.quote;
    }
    if (this.backslash !== -1 && this.backslash < from) this.backslash = this.b.indexOf(C.Backslash, from);
    return this.backslash;
  }
}

/** The end (exclusive) of the string starting at `i` (its opening quote), or -1 if it is not a valid string. */
function skipString(b: Buffer, i: number, find: Finder): number {
  let j = i + 1;
  for (;;) {
    const quote = find.next(C.Quote, j);
    if (quote < 0) return -1;
    const escape = find.next(C.Backslash, j);
    if (escape < 0 || escape > quote) return quote + 1;
    const c = b[escape + 1];
    if (c === 0x75 /* u */) {
      for (let k = escape + 2; k < escape + 6; k++) if (!isHex(b[k])) return -1;
      j = escape + 6;
    } else if (c !== undefined && SIMPLE_ESCAPES.has(c)) {
      j = escape + 2;
    } else return -1;
  }
}

const startsWith = (b: Buffer, i: number, word: string) => {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
};

/** The end (exclusive) of the number at `i` (JSON's grammar: -?int frac? exp?), or -1. */
function skipNumber(b: Buffer, i: number): number {
  if (b[i] === C.Minus) i++;
  if (b[i] === C.Zero) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return -1;
  if (b[i] === C.Dot) {
    i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45 /* e E */) {
    i++;
    if (b[i] === C.Plus || b[i] === C.Minus) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  return i;
}

/** The end (exclusive) of the number, true, false or null at `i`, or -1. */
function skipScalar(b: Buffer, i: number): number {
  const c = b[i];
  if (c === 0x74 /* t */) return startsWith(b, i, 'true') ? i + 4 : -1;
  if (c === 0x66 /* f */) return startsWith(b, i, 'false') ? i + 5 : -1;
  if (c === 0x6e /* n */) return startsWith(b, i, 'null') ? i + 4 : -1;
  return skipNumber(b, i);
}

function skipSpace(b: Buffer, i: number): number {
  while (i < b.length && b[i] === C.Space) i++;
  return i;
}

export function peekResponse(b: Buffer): PeekedResponse | null {
  if (hasControlByte(b) || !isUtf8(b)) return null;
  let i = skipSpace(b, 0);
  if (b[i] !== C.OpenBrace) return null;
  const find = new Finder(b);
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
    i = skipSpace(b, i);
    if (i >= b.length) return null;
    let c = b[i]!;
    if (expectKey) {
      if (c !== C.Quote) return null;
      const end = skipString(b, i, find);
      if (end < 0) return null;
      if (stack.length === 1) {
        // An escaped top-level key ("\u0069d" is "id") is left to JSON.parse.
        const escape = find.next(C.Backslash, i + 1);
        if (escape !== -1 && escape < end) return null;
        topKey = b.toString('latin1', i + 1, end - 1);
        const seen = topKey === 'id' ? id : topKey === 'result' ? result : topKey === 'error' ? error : false;
        if (seen) return null; // a duplicate key: JSON.parse keeps the last, so let it decide
      }
      i = skipSpace(b, end);
      if (b[i] !== C.Colon) return null;
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
      i = skipSpace(b, i + 1);
      const close = c === C.OpenBrace ? C.CloseBrace : C.CloseBracket;
      if (b[i] === close) {
        stack.pop();
        i++;
      } else {
        expectKey = c === C.OpenBrace;
        continue;
      }
    } else {
      const end = c === C.Quote ? skipString(b, i, find) : skipScalar(b, i);
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
        if (skipSpace(b, i) !== b.length) return null;
        return finish();
      }
      i = skipSpace(b, i);
      c = b[i]!;
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
    const text = b.toString('latin1', id.start, id.end);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || String(value) !== text) return null;
    return { id: value, idStart: id.start, idEnd: id.end, isError: error };
  }
}
