import { EXACT_NUMBER_PREFIX, RAW_JSON } from './json-text.js';
import type { JsonRpcError, JsonRpcId, JsonRpcMessage } from './jsonrpc.js';
import type { PeekedResponse } from './response-peek.js';

/**
 * A large server response carried as the text the server wrote, with only its id swapped for the client's
 * (response-peek.ts found where it is). It is a JsonRpcMessage: code that reads `result` or `error` gets them,
 * parsed once on first use, so nothing that inspects a response can be wrong about it; code that only forwards it
 * (the router to a transport) never pays for the parse. `writeJson` writes the text; `JSON.stringify` (a batch)
 * goes through `toJSON`.
 */
export class RawResponse implements JsonRpcMessage {
  readonly jsonrpc = '2.0' as const;
  /** The server's id at first; the router sets the client's before delivering. */
  id: JsonRpcId;
  readonly isError: boolean;
  private parsed: JsonRpcMessage | null = null;

  constructor(
    private readonly line: string,
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

  /** Whether the text contains this snippet (a cheap test before anything parses it). */
  mentions(snippet: string): boolean {
    return this.line.includes(snippet);
  }

  /** A plain message with the current id, for code that changes what it delivers. */
  materialize(): JsonRpcMessage {
    return { ...this.message(), id: this.id };
  }

  toJSON(): JsonRpcMessage {
    return this.materialize();
  }

  /** The response as the client gets it. */
  [RAW_JSON](): string {
    return this.line.slice(0, this.peeked.idStart) + this.idText() + this.line.slice(this.peeked.idEnd);
  }

  /**
   * The same as UTF-8 bytes, written into one buffer part by part: concatenating first would make V8 copy the
   * megabytes into a new string only for them to be encoded again.
   */
  toBuffer(): Buffer {
    const before = this.line.slice(0, this.peeked.idStart);
    const id = this.idText();
    const after = this.line.slice(this.peeked.idEnd);
    const sizes = [Buffer.byteLength(before), Buffer.byteLength(id), Buffer.byteLength(after)];
    const buf = Buffer.allocUnsafe(sizes[0]! + sizes[1]! + sizes[2]!);
    buf.write(before, 0);
    buf.write(id, sizes[0]!);
    buf.write(after, sizes[0]! + sizes[1]!);
    return buf;
  }

  private idText(): string {
    const id = this.id;
    if (typeof id === 'string' && id.startsWith(EXACT_NUMBER_PREFIX)) return id.slice(EXACT_NUMBER_PREFIX.length);
    return JSON.stringify(id);
  }

  private message(): JsonRpcMessage {
    this.parsed ??= JSON.parse(this.line) as JsonRpcMessage;
    return this.parsed;
  }
}
