/**
 * Reading and writing client JSON exactly. Two things JSON.parse alone gets wrong for a gateway:
 * - depth: a body nested thousands of levels deep parses, then blows the stack of whatever walks it later
 *   (JSON.stringify on the way to the child). It is refused before anything is recorded.
 * - ids: `{"id": 123456789012345678901234567890}` parses to 1.2345678901234568e+29, and the client would get its
 *   answer under another id. An id whose number text does not survive a round trip is carried as a marked
 *   string and written back as the exact digits the client sent.
 */

/** How deep a client message may nest; MCP messages with JSON Schemas in them stay far below this. */
export const MAX_JSON_DEPTH = 100;

/** The prefix of a string that stands for a number id the client wrote (its exact text follows). */
const EXACT_NUMBER = '\u0000sb-number:';
export const EXACT_NUMBER_PREFIX = EXACT_NUMBER;
/** A message that carries its own JSON text (protocol/raw-response.ts): `writeJson` uses it as it is. */
export const RAW_JSON = Symbol('switchboard.rawJson');
/** The same prefix as it appears in JSON.stringify's output. */
const EXACT_NUMBER_JSON = '"\\u0000sb-number:';
let exactNumbersSeen = false;

export class JsonTextError extends Error {
  constructor(
    readonly kind: 'parse' | 'depth',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses a client message (or a batch of them). Throws JsonTextError for malformed JSON or nesting deeper than
 * `maxDepth`. Number ids that would lose precision come back as marked strings (see `writeJson`).
 */
export function readJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  const inexactIds = scan(text, maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonTextError('parse', 'Parse error: the body is not valid JSON');
  }
  if (inexactIds.length === 0) return value;
  exactNumbersSeen = true;
  const messages = Array.isArray(value) ? value : [value];
  for (const raw of inexactIds) {
    const msg = messages[raw.entry] as { id?: unknown } | undefined;
    if (msg && typeof msg === 'object' && msg.id === Number(raw.text)) msg.id = EXACT_NUMBER + raw.text;
  }
  return value;
}

/** JSON.stringify that writes marked number ids back as the digits the client sent. */
export function writeJson(value: unknown): string {
  const raw = (value as { [RAW_JSON]?: () => string } | null)?.[RAW_JSON];
  if (raw) return raw.call(value);
  const text = JSON.stringify(value);
  if (!exactNumbersSeen || !text.includes(EXACT_NUMBER_JSON)) return text;
  return text.replace(/"\\u0000sb-number:([-+0-9.eE]+)"/g, '$1');
}

/** A readable form of an id for messages ("request id 1e+29 is already in flight"). */
export function describeId(id: unknown): string {
  if (typeof id === 'string' && id.startsWith(EXACT_NUMBER)) return id.slice(EXACT_NUMBER.length);
  return JSON.stringify(id);
}

interface RawId {
  /** Which top-level value (batch entry) it belongs to. */
  entry: number;
  text: string;
}

/**
 * One pass over the text: the nesting depth (refused past `maxDepth`) and the raw text of number ids at message
 * level (depth 1, or depth 2 inside a top-level array) that JSON.parse would change. Malformed input is left to
 * JSON.parse to report; the scan only has to be right for well-formed JSON.
 */
function scan(text: string, maxDepth: number): RawId[] {
  const found: RawId[] = [];
  let depth = 0;
  let batch = false;
  let entry = -1;
  let key: string | null = null;
  let afterColon = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i + 1;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      // A string at message level that is followed by a colon is a key; only "id" matters.
      key = !afterColon && depth === (batch ? 2 : 1) ? text.slice(start, i) : null;
      afterColon = false;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === 0 && c === 0x5b) batch = true;
      if (depth === (batch ? 1 : 0) && c === 0x7b) entry++;
      depth++;
      if (depth > maxDepth) {
        throw new JsonTextError('depth', `Invalid Request: the message nests deeper than ${maxDepth} levels`);
      }
      key = null;
      afterColon = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      key = null;
      afterColon = false;
    } else if (c === 0x3a /* : */) {
      afterColon = true;
    } else if (c === 0x2c /* , */) {
      key = null;
      afterColon = false;
    } else if (afterColon && (c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      if (key === 'id' && depth === (batch ? 2 : 1)) {
        const raw = text.slice(i, end);
        if (String(Number(raw)) !== raw) found.push({ entry: Math.max(entry, 0), text: raw });
      }
      i = end - 1;
      key = null;
      afterColon = false;
    }
  }
  return found;
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}
