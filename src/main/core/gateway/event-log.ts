/**
 * The events a Streamable HTTP session sent on its SSE streams, kept so a client that lost a stream can resume it
 * with `Last-Event-ID` (spec 2025-06-18, "Resumability and Redelivery"). Bounded by count, age and bytes: a client
 * that stays away longer than that loses the oldest events, never the server's memory (RELIABILITY R3, R6).
 */
export interface EventLogLimits {
  maxEvents: number;
  maxAgeMs: number;
  maxBytes: number;
}

export const defaultEventLogLimits: EventLogLimits = {
  maxEvents: 1000,
  maxAgeMs: 5 * 60_000,
  maxBytes: 4 * 1024 * 1024,
};

interface StoredEvent {
  stream: number;
  seq: number;
  /** JSON text, or the bytes of a large answer forwarded as bytes. */
  data: string | Buffer;
  at: number;
}

export interface ReplayedEvent {
  id: string;
  data: string | Buffer;
}

/**
 * Event ids are `<stream>.<seq>`: the stream number says which stream to resume, the sequence number (one counter
 * per session) says where. Both are small integers, so an id reveals nothing and parses without ambiguity.
 */
export function parseEventId(id: string): { stream: number; seq: number } | null {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(id.trim());
  return match ? { stream: Number(match[1]), seq: Number(match[2]) } : null;
}

export class EventLog {
  private events: StoredEvent[] = [];
  private head = 0;
  private bytes = 0;
  private nextSeq = 1;
  private nextStream = 1;
  /** The highest sequence number evicted so far: a resume from before it may have lost events. */
  private evictedUpTo = 0;

  constructor(private readonly limits: EventLogLimits = defaultEventLogLimits) {}

  /** A new stream number for this session. */
  newStream(): number {
    return this.nextStream++;
  }

  /** True when `stream` was handed out by this log (the id names a stream of this session). */
  knows(stream: number): boolean {
    return stream > 0 && stream < this.nextStream;
  }

  /** Records one event and returns its id. */
  append(stream: number, data: string | Buffer, now = Date.now()): string {
    const seq = this.nextSeq++;
    this.events.push({ stream, seq, data, at: now });
    this.bytes += data.length;
    this.evict(now);
    return `${stream}.${seq}`;
  }

  /**
   * The events of `stream` after sequence number `seq`, oldest first; `complete` is false when events that may
   * have belonged to it were already evicted. Events of other streams are never returned.
   */
  after(stream: number, seq: number, now = Date.now()): { events: ReplayedEvent[]; complete: boolean } {
    this.evict(now);
    const events: ReplayedEvent[] = [];
    for (let i = this.head; i < this.events.length; i++) {
      const e = this.events[i]!;
      if (e.stream === stream && e.seq > seq) events.push({ id: `${e.stream}.${e.seq}`, data: e.data });
    }
    return { events, complete: this.evictedUpTo <= seq };
  }

  get size(): number {
    return this.events.length - this.head;
  }

  private evict(now: number): void {
    const { maxEvents, maxAgeMs, maxBytes } = this.limits;
    while (this.head < this.events.length) {
      const oldest = this.events[this.head]!;
      if (this.size <= maxEvents && this.bytes <= maxBytes && now - oldest.at <= maxAgeMs) break;
      this.bytes -= oldest.data.length;
      this.evictedUpTo = oldest.seq;
      this.head++;
    }
    // Compact once the evicted prefix is large, so the array stays within about twice the cap.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}
