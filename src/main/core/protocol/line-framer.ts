/**
 * Splits a byte stream into newline-delimited messages (MCP stdio framing), with a cap on a line's size.
 * A line that spans chunks is kept as the chunks themselves and joined once at its newline: one copy of a
 * megabyte line, not a growing buffer copied at each doubling. Tiny chunks are gathered into a small buffer first,
 * so a line arriving a byte at a time does not become a million one-byte buffers. A line over the cap is
 * discarded up to its newline; its first and last bytes are kept so the caller can still tell which request it
 * answered.
 *
 * A line of `largeBytes` or more goes first to `large` as bytes, when the caller gives one: decoding a megabyte
 * into a string costs a fresh V8 large-object allocation (about 3.5 ms a MiB here, mostly page faults), which a
 * response forwarded as bytes never needs (raw-response.ts). `large` returns false to have the line decoded and
 * sent to `line` as usual.
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
  /** A line of at least `largeBytes` bytes, without its newline (or a CR before it); true when it was taken. */
  large?(bytes: Buffer): boolean;
}

const KEEP_BYTES = 1024;
const NEWLINE = 0x0a;
const CR = 0x0d;
/** Bytes gathered before they are decoded into a part of the line. */
const GATHER_BYTES = 16 * 1024;

export class LineFramer {
  /** The unfinished line: its pieces so far, and small pieces gathered but not yet made one. */
  private parts: Buffer[] = [];
  private readonly gather = Buffer.allocUnsafe(GATHER_BYTES);
  private gathered = 0;
  /** Bytes of the unfinished line. */
  private len = 0;
  /** Its first bytes, for an oversized report. */
  private head: Buffer | null = null;
  private discarding: { size: number; head: Buffer; tail: Buffer } | null = null;

  constructor(
    private readonly maxLineBytes: number,
    private readonly events: LineFramerEvents,
    private readonly largeBytes = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.discarding) this.discard(chunk, start, end);
      else if (this.len + (end - start) > this.maxLineBytes) {
        this.discarding = { size: this.len, head: this.head ?? Buffer.alloc(0), tail: Buffer.alloc(0) };
        this.reset();
        this.discard(chunk, start, end);
      } else if (nl !== -1 && this.len === 0) {
        // Whole line inside this chunk: decoded straight from it, or a view on it for `large` (no copy either way).
        if (end - start < this.largeBytes) this.emitText(chunk.toString('utf8', start, end));
        else this.emit(chunk.subarray(start, end));
      } else {
        this.append(chunk, start, end);
        if (nl !== -1) {
          this.flushGathered();
          const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.len);
          this.reset();
          this.emit(line);
        }
      }
      if (nl === -1) break;
      if (this.discarding) this.finishDiscard();
      start = nl + 1;
    }
  }

  /** Bytes held for an unfinished line (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.len;
  }

  private emit(bytes: Buffer): void {
    const line = bytes[bytes.length - 1] === CR ? bytes.subarray(0, -1) : bytes;
    if (line.length >= this.largeBytes && this.events.large?.(line)) return;
    this.deliver(line.toString('utf8'));
  }

  private emitText(text: string): void {
    this.deliver(text.endsWith('\r') ? text.slice(0, -1) : text);
  }

  private deliver(line: string): void {
    if (line.trim() !== '') this.events.line(line);
  }

  private append(chunk: Buffer, start: number, end: number): void {
    if (this.len < KEEP_BYTES) {
      const keep = chunk.subarray(start, Math.min(end, start + KEEP_BYTES - this.len));
      this.head = this.head ? Buffer.concat([this.head, keep]) : Buffer.from(keep);
    }
    this.len += end - start;
    if (end - start >= GATHER_BYTES) {
      this.flushGathered();
      this.parts.push(chunk.subarray(start, end)); // a stream's chunks are never reused: keeping a view is safe
      return;
    }
    if (this.gathered + (end - start) > GATHER_BYTES) this.flushGathered();
    chunk.copy(this.gather, this.gathered, start, end);
    this.gathered += end - start;
  }

  private flushGathered(): void {
    if (this.gathered === 0) return;
    this.parts.push(Buffer.from(this.gather.subarray(0, this.gathered)));
    this.gathered = 0;
  }

  private reset(): void {
    this.parts = [];
    this.gathered = 0;
    this.len = 0;
    this.head = null;
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
