import { EXACT_NUMBER_PREFIX, RAW_JSON, writeJson } from './json-text.js';
import type { JsonRpcError, JsonRpcId, JsonRpcMessage } from './jsonrpc.js';
import type { PeekedResponse } from './response-peek.js';

/**
 * What a frame tap gets of a large response: its first characters, decoded. The traffic recorder keeps 64 K
 * characters of a payload and looks 4 K further for secrets to redact, so this is all it could use; decoding the
 * whole megabyte only to cut it would cost the large-object allocation this class exists to avoid.
 */
export const TAP_PREFIX_CHARS = 68 * 1024;

/** The end of a prefix of at most `n` bytes that does not split a UTF-8 character. */
function characterBoundary(bytes: Buffer, n: number): number {
  if (n >= bytes.length) return bytes.length;
  while (n > 0 && (bytes[n]! & 0xc0) === 0x80) n--; // a continuation byte: the character started before it
  return n;
}

/**
 * A large server response carried as the bytes the server wrote, with only its id swapped for the client's
 * (response-peek.ts found where it is). It is a JsonRpcMessage: code that reads `result` or `error` gets them,
 * decoded and parsed once on first use, so nothing that inspects a response can be wrong about it; code that only
 * forwards it (the router to a transport) never pays for either. `chunks()` gives the bytes to write; `writeJson`
 * writes the text; `JSON.stringify` (a batch) goes through `toJSON`.
 */
export class RawResponse implements JsonRpcMessage {
  readonly jsonrpc = '2.0' as const;
  /** The server's id at first; the router sets the client's before delivering. */
  id: JsonRpcId;
  readonly isError: boolean;
  private parsed: JsonRpcMessage | null = null;

  constructor(
    private readonly bytes: Buffer,
    private readonly peeked: PeekedResponse,
  ) {
    this.id = peeked.id;
    this.isError = peeked.isError;
  }

  get result(): unknown {
    return this.isError ? undefined : this.message().result;
  }

  get error(): JsonRpcError | undefined {
    return this.isError ? this.message().error : undefined;
  }

  /** Size in bytes, as the server sent it. */
  get size(): number {
    return this.bytes.length;
  }

  /** Whether the bytes contain this snippet (a cheap test before anything parses them). */
  mentions(snippet: string): boolean {
    return this.bytes.includes(snippet);
  }

  /**
   * The start of the response as the server sent it, for a frame tap: TAP_PREFIX_CHARS characters (fewer bytes
   * are decoded first; more only when the text has multi-byte characters), and whether it is cut.
   */
  tapPayload(): { text: string; cut: boolean } {
    let end = characterBoundary(this.bytes, TAP_PREFIX_CHARS);
    let text = this.bytes.toString('utf8', 0, end);
    if (text.length < TAP_PREFIX_CHARS && end < this.bytes.length) {
      // Each missing character is at most 4 bytes.
      end = characterBoundary(this.bytes, end + (TAP_PREFIX_CHARS - text.length) * 4);
      text = this.bytes.toString('utf8', 0, end);
    }
    return { text, cut: end < this.bytes.length };
  }

  /** A plain message with the current id, for code that changes what it delivers. */
  materialize(): JsonRpcMessage {
    return { ...this.message(), id: this.id };
  }

  toJSON(): JsonRpcMessage {
    return this.materialize();
  }

  /** The response as the client gets it, as text (for a transport that writes strings). */
  [RAW_JSON](): string {
    return Buffer.concat(this.chunks()).toString('utf8');
  }

  /** The response as the client gets it, as bytes to write in order: the server's, around the client's id. */
  chunks(): Buffer[] {
    const { idStart, idEnd } = this.peeked;
    return [this.bytes.subarray(0, idStart), Buffer.from(this.idText()), this.bytes.subarray(idEnd)];
  }

  /** The same in one buffer, for a transport that writes one piece per message (an SSE event, a WebSocket frame). */
  toBytes(): Buffer {
    return Buffer.concat(this.chunks());
  }

  private idText(): string {
    const id = this.id;
    if (typeof id === 'string' && id.startsWith(EXACT_NUMBER_PREFIX)) return id.slice(EXACT_NUMBER_PREFIX.length);
    return JSON.stringify(id);
  }

  private message(): JsonRpcMessage {
    this.parsed ??= JSON.parse(this.bytes.toString('utf8')) as JsonRpcMessage;
    return this.parsed;
  }
}

/**
 * A message as a transport writes it: JSON text, or for a large response forwarded as bytes, those bytes (valid
 * UTF-8 and one line: response-peek.ts checked both), so it is never decoded into a string only to be encoded again.
 */
export function wireJson(msg: JsonRpcMessage): string | Buffer {
  return msg instanceof RawResponse ? msg.toBytes() : writeJson(msg);
}
