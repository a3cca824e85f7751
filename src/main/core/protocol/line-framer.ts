import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into newline-delimited messages (MCP stdio framing), with a cap on a line's size.
 * A line that spans chunks is decoded chunk by chunk (a StringDecoder keeps a character split between two) and
 * joined once at its newline: one copy of a megabyte line, not a growing buffer copied at each doubling and then
 * decoded into a second. Tiny chunks are gathered into a small buffer first, so a line arriving a byte at a time
 * does not become a million one-character strings. A line over the cap is discarded up to its newline; its
 * first and last bytes are kept so the caller can still tell which request it answered.
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
/** Bytes gathered before they are decoded into a part of the line. */
const GATHER_BYTES = 16 * 1024;

export class LineFramer {
  /** The unfinished line: decoded parts, and bytes gathered but not decoded yet. */
  private parts: string[] = [];
  private readonly decoder = new StringDecoder('utf8');
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
        this.emit(chunk.toString('utf8', start, end)); // whole line inside this chunk: no copy
      } else {
        this.append(chunk, start, end);
        if (nl !== -1) {
          this.flushGathered();
          const tail = this.decoder.end();
          if (tail) this.parts.push(tail);
          const line = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
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

  private emit(text: string): void {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
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
      this.parts.push(this.decoder.write(chunk.subarray(start, end)));
      return;
    }
    if (this.gathered + (end - start) > GATHER_BYTES) this.flushGathered();
    chunk.copy(this.gather, this.gathered, start, end);
    this.gathered += end - start;
  }

  private flushGathered(): void {
    if (this.gathered === 0) return;
    this.parts.push(this.decoder.write(this.gather.subarray(0, this.gathered)));
    this.gathered = 0;
  }

  private reset(): void {
    this.parts = [];
    this.gathered = 0;
    this.len = 0;
    this.head = null;
    this.decoder.end(); // forget a partial character
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
