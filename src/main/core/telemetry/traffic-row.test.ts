import { describe, expect, it } from 'vitest';
import type { FrameEvent } from './frame.js';
import { Redactor } from './redaction.js';
import { RequestPairs, redactAndCap } from './traffic-row.js';

const frame = (over: Partial<FrameEvent>): FrameEvent => ({
  direction: 'up',
  server: 'fx',
  session: 's1',
  kind: 'request',
  method: 'tools/call',
  clientId: 1,
  size: 2,
  time: 0,
  payload: '{}',
  ...over,
});

describe('redactAndCap', () => {
  const r = new Redactor(['top-secret-value']);
  const redact = (s: string) => r.redact(s);

  it('leaves short payloads whole', () => {
    expect(redactAndCap('{"a":1}', 10, redact)).toEqual({ text: '{"a":1}', truncated: false });
  });

  it('cuts long ones and flags them', () => {
    const out = redactAndCap('x'.repeat(100_000), 1000, redact);
    expect(out.truncated).toBe(true);
    expect(out.text).toHaveLength(1000);
  });

  it('redacts a secret that straddles the cut', () => {
    const payload = 'x'.repeat(995) + 'top-secret-value' + 'y'.repeat(20_000);
    const out = redactAndCap(payload, 1000, redact);
    expect(out.text).toBe('x'.repeat(995) + '[redacted]'.slice(0, 5));
    expect(out.text).not.toContain('top-s');
  });

  it('never cuts a surrogate pair in half', () => {
    const out = redactAndCap('a'.repeat(9) + '😀' + 'b'.repeat(10), 10, redact);
    expect(out.text).toBe('a'.repeat(9));
  });
});

describe('RequestPairs', () => {
  it('gives a response the seq of its request, per session and per direction', () => {
    const pairs = new RequestPairs();
    expect(pairs.keyFor(frame({}), 1)).toBe(1);
    expect(pairs.keyFor(frame({ session: 's2' }), 2)).toBe(2); // same id, other session
    // The server asks session s1 something with the same id 1: a different pair.
    expect(pairs.keyFor(frame({ direction: 'down', method: 'sampling/createMessage' }), 3)).toBe(3);
    expect(pairs.keyFor(frame({ direction: 'down', kind: 'response' }), 4)).toBe(1);
    expect(pairs.keyFor(frame({ direction: 'up', kind: 'response', method: undefined }), 5)).toBe(3);
    expect(pairs.keyFor(frame({ direction: 'down', kind: 'response', session: 's2' }), 6)).toBe(2);
    expect(pairs.keyFor(frame({ direction: 'down', kind: 'response' }), 7)).toBeNull(); // already answered
    expect(pairs.keyFor(frame({ kind: 'notification', clientId: undefined }), 8)).toBeNull();
  });

  it('tells a string id from a number id', () => {
    const pairs = new RequestPairs();
    pairs.keyFor(frame({ clientId: '1' }), 1);
    expect(pairs.keyFor(frame({ direction: 'down', kind: 'response', clientId: 1 }), 2)).toBeNull();
  });

  it('keeps Switchboard’s own requests (no session) apart per server', () => {
    const pairs = new RequestPairs();
    pairs.keyFor(frame({ session: null, server: 'a', method: 'ping' }), 1);
    expect(pairs.keyFor(frame({ session: null, server: 'b', kind: 'response', direction: 'down' }), 2)).toBeNull();
    expect(pairs.keyFor(frame({ session: null, server: 'a', kind: 'response', direction: 'down' }), 3)).toBe(1);
  });

  it('forgets the oldest unanswered requests past its bound, and a closed session’s', () => {
    const pairs = new RequestPairs(2);
    for (let id = 1; id <= 3; id++) pairs.keyFor(frame({ clientId: id }), id);
    expect(pairs.keyFor(frame({ direction: 'down', kind: 'response', clientId: 1 }), 9)).toBeNull();
    expect(pairs.keyFor(frame({ direction: 'down', kind: 'response', clientId: 3 }), 10)).toBe(3);
    pairs.forgetSession('s1');
    expect(pairs.keyFor(frame({ direction: 'down', kind: 'response', clientId: 2 }), 11)).toBeNull();
  });
});
