import { describe, expect, it } from 'vitest';
import { EventLog, parseEventId } from './event-log.js';

describe('EventLog', () => {
  it('replays only the events of the named stream after the given id', () => {
    const log = new EventLog();
    const a = log.newStream();
    const b = log.newStream();
    const first = log.append(a, 'a1');
    log.append(b, 'b1');
    log.append(a, 'a2');
    log.append(a, 'a3');
    const at = parseEventId(first)!;
    expect(log.after(at.stream, at.seq)).toEqual({
      events: [
        { id: `${a}.3`, data: 'a2' },
        { id: `${a}.4`, data: 'a3' },
      ],
      complete: true,
    });
  });

  it('is bounded by count, bytes and age, and says when a resume lost events', () => {
    const log = new EventLog({ maxEvents: 3, maxAgeMs: 1000, maxBytes: 1000 });
    const s = log.newStream();
    for (let i = 0; i < 10; i++) log.append(s, `e${i}`, 0);
    expect(log.size).toBe(3);
    expect(log.after(s, 0, 0)).toMatchObject({ complete: false });
    expect(log.after(s, 8, 0)).toEqual({
      events: [
        { id: `${s}.9`, data: 'e8' },
        { id: `${s}.10`, data: 'e9' },
      ],
      complete: true,
    });
    expect(log.after(s, 0, 5000).events).toEqual([]); // too old
    const big = new EventLog({ maxEvents: 100, maxAgeMs: 1000, maxBytes: 10 });
    for (let i = 0; i < 5; i++) big.append(s, 'x'.repeat(4));
    expect(big.size).toBe(2);
  });

  it('parses only its own ids', () => {
    expect(parseEventId('3.17')).toEqual({ stream: 3, seq: 17 });
    for (const bad of ['', '3', 'a.b', '1.2.3', '-1.2']) expect(parseEventId(bad)).toBeNull();
  });
});
