/**
 * Splits a byte stream into newline-delimited messages (MCP stdio framing), with a cap on a line's size.
 * Bytes are appended to one growable buffer, so a 20 MB line arriving in 1-byte chunks costs 20 M small copies,
 * not 20 M Buffer objects. A line over the cap is discarded up to its newline; its first and last bytes are kept
 * so the caller can still tell which request it answered.
 */
export interface OversizedLine {
  /** Total size of the discarded line in bytes. */
  size: number;
  head: string;
  tail: string;
}

export interface LineFramerEvents {
  line(text: string): void;
  oversized(info: OversizedLine): void;
}

const KEEP_BYTES = 1024;
const NEWLINE = 0x0a;

export class LineFramer {
  private buf: Buffer = Buffer.alloc(0);
  private len = 0;
  private discarding: { size: number; head: Buffer; tail: Buffer } | null = null;

  constructor(
    private readonly maxLineBytes: number,
    private readonly events: LineFramerEvents,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.discarding) this.discard(chunk, start, end);
      else if (this.len + (end - start) > this.maxLineBytes) {
        this.discarding = {
          size: this.len,
          head: Buffer.from(this.buf.subarray(0, Math.min(this.len, KEEP_BYTES))),
          tail: Buffer.alloc(0),
        };
        this.len = 0;
        this.discard(chunk, start, end);
      } else if (nl !== -1 && this.len === 0) {
        this.emit(chunk.toString('utf8', start, end)); // whole line inside this chunk: no copy
      } else {
        this.append(chunk, start, end);
        if (nl !== -1) {
          this.emit(this.buf.toString('utf8', 0, this.len));
          this.len = 0;
        }
      }
      if (nl === -1) break;
      if (this.discarding) this.finishDiscard();
      start = nl + 1;
    }
    if (this.len === 0 && this.buf.length > 1 << 20) this.buf = Buffer.alloc(0); // give back a large buffer
  }

  /** Bytes held for an unfinished line (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.len;
  }

  private emit(text: string): void {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() !== '') this.events.line(line);
  }

  private append(chunk: Buffer, start: number, end: number): void {
    const needed = this.len + (end - start);
    if (needed > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(needed, this.buf.length * 2, 4096), this.maxLineBytes));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
    }
    chunk.copy(this.buf, this.len, start, end);
    this.len = needed;
  }

  private discard(chunk: Buffer, start: number, end: number): void {
    const d = this.discarding!;
    const part = chunk.subarray(start, end);
    if (d.head.length < KEEP_BYTES) d.head = Buffer.concat([d.head, part.subarray(0, KEEP_BYTES - d.head.length)]);
    d.tail = Buffer.concat([d.tail, part]);
    if (d.tail.length > KEEP_BYTES) d.tail = Buffer.from(d.tail.subarray(d.tail.length - KEEP_BYTES));
    d.size += part.length;
  }

  private finishDiscard(): void {
    const d = this.discarding!;
    this.discarding = null;
    this.events.oversized({ size: d.size, head: d.head.toString('utf8'), tail: d.tail.toString('utf8') });
  }
}

/**
 * The numeric id of a response that was dropped for its size, if its ends show one. The SDK writes the id last
 * ({"result":…,"jsonrpc":"2.0","id":7}); others write it first. Only that request fails, not the session.
 */
export function oversizedResponseId(info: OversizedLine): number | null {
  const match =
    /"id"\s*:\s*(\d+)\s*[,}]/.exec(info.tail) ??
    /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(\d+)/.exec(info.head);
  return match ? Number(match[1]) : null;
}
