import { describe, expect, it } from 'vitest';
import type { TrafficFrame } from '../../../shared/app-api.js';
import { childIdOf, TrafficPairing, trafficPredicate } from './traffic-pairing.js';

let seq = 0;
function frame(partial: Partial<TrafficFrame>): TrafficFrame {
  seq++;
  return {
    seq,
    time: 1000 + seq,
    direction: 'up',
    server: 'everything',
    session: 's1',
    kind: 'request',
    size: 10,
    payload: '{}',
    ...partial,
  };
}

describe('TrafficPairing', () => {
  it('joins a response to its request with the latency', () => {
    const pairing = new TrafficPairing(10);
    pairing.ingest([frame({ method: 'tools/call', pairKey: 'a', clientName: 'cursor' })]);
    pairing.ingest([frame({ kind: 'response', direction: 'down', pairKey: 'a', latencyMs: 12, size: 30 })]);
    const rows = pairing.rows.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      method: 'tools/call',
      latencyMs: 12,
      isError: false,
      size: 40,
      clientName: 'cursor',
    });
    expect(rows[0]!.response?.pairKey).toBe('a');
  });

  it('pairs within one batch and marks error responses', () => {
    const pairing = new TrafficPairing(10);
    pairing.ingest([
      frame({ method: 'tools/call', pairKey: 'b', time: 100 }),
      frame({ kind: 'notification', method: 'notifications/progress' }),
      frame({ kind: 'response', pairKey: 'b', isError: true, time: 105 }),
    ]);
    const rows = pairing.rows.toArray();
    expect(rows.map((r) => r.kind)).toEqual(['request', 'notification']);
    expect(rows[0]).toMatchObject({ isError: true, latencyMs: 5 });
  });

  it('keeps a response whose request was evicted as a row of its own', () => {
    const pairing = new TrafficPairing(2);
    pairing.ingest([frame({ pairKey: 'c' }), frame({ kind: 'notification' }), frame({ kind: 'notification' })]);
    pairing.ingest([frame({ kind: 'response', pairKey: 'c', method: 'ping' })]);
    const rows = pairing.rows.toArray();
    expect(rows.map((r) => r.kind)).toEqual(['notification', 'response']);
    expect(rows[1]!.method).toBe('ping');
  });

  it('forgets unanswered requests once they leave the ring', () => {
    const pairing = new TrafficPairing(3);
    for (let i = 0; i < 10; i++) pairing.ingest([frame({ pairKey: `k${i}` })]);
    expect((pairing as unknown as { pending: Map<string, number> }).pending.size).toBeLessThanOrEqual(4);
  });
});

describe('trafficPredicate', () => {
  it('is null for an empty filter', () => {
    expect(trafficPredicate({ method: '  ' })).toBeNull();
  });

  it('filters by server, client, method substring and errors', () => {
    const pairing = new TrafficPairing(10);
    pairing.ingest([
      frame({ method: 'tools/call', clientName: 'cursor', pairKey: 'x' }),
      frame({ method: 'tools/list', server: 'memory', session: 's9' }),
      frame({ kind: 'response', pairKey: 'x', isError: true }),
    ]);
    const rows = pairing.rows.toArray();
    const pick = (f: Parameters<typeof trafficPredicate>[0]) => rows.filter(trafficPredicate(f)!).map((r) => r.method);
    expect(pick({ server: 'memory' })).toEqual(['tools/list']);
    expect(pick({ clientName: 'cursor' })).toEqual(['tools/call']);
    expect(pick({ clientName: 's9' })).toEqual(['tools/list']);
    expect(pick({ method: 'CALL' })).toEqual(['tools/call']);
    expect(pick({ errorsOnly: true })).toEqual(['tools/call']);
  });
});

describe('TrafficPairing without a pairKey on the response', () => {
  it('joins by server, session, direction and JSON-RPC id', () => {
    const pairing = new TrafficPairing(10);
    pairing.ingest([
      frame({ direction: 'down', method: 'roots/list', clientId: 0, pairKey: '8', session: null }),
      frame({ direction: 'up', method: 'tools/list', clientId: 0, pairKey: '9', session: null }),
      frame({
        kind: 'response',
        direction: 'up',
        session: null,
        payload: '{"jsonrpc":"2.0","id":0,"error":{}}',
        isError: true,
      }),
    ]);
    const rows = pairing.rows.toArray();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ method: 'roots/list', isError: true });
    expect(rows[0]!.response).toBeDefined();
    expect(rows[1]!.response).toBeUndefined();
  });

  it('shows a tool result with isError: true as a failure, not ok', () => {
    const pairing = new TrafficPairing(10);
    pairing.ingest([
      frame({ method: 'tools/call', pairKey: 't', clientId: 3 }),
      frame({
        kind: 'response',
        direction: 'down',
        pairKey: 't',
        method: 'tools/call',
        payload: '{"jsonrpc":"2.0","id":21,"result":{"content":[{"type":"text","text":"no"}],"isError":true}}',
      }),
      frame({ method: 'tools/call', pairKey: 'u', clientId: 4 }),
      frame({
        kind: 'response',
        direction: 'down',
        pairKey: 'u',
        method: 'tools/call',
        // The words in a text do not count: only result.isError does.
        payload: '{"jsonrpc":"2.0","id":22,"result":{"content":[{"type":"text","text":"\\"isError\\":true"}]}}',
      }),
    ]);
    const [failed, fine] = pairing.rows.toArray();
    expect(failed).toMatchObject({ isError: true, toolError: true });
    expect(fine).toMatchObject({ isError: false });
    expect(fine!.toolError).toBeUndefined();
  });

  it("closes a dead child's pending requests with the error the client got, and only those", () => {
    const pairing = new TrafficPairing(10);
    pairing.ingest([
      frame({ method: 'tools/call', pairKey: 'p1', clientId: 9, time: 100, payload: '{"id":21}' }),
      frame({ method: 'tools/call', pairKey: 'p2', clientId: 1, time: 100, server: 'other' }),
    ]);
    expect(pairing.closeServer('everything', 150, 'exited with signal SIGKILL')).toBe(1);
    const [dead, alive] = pairing.rows.toArray();
    expect(dead).toMatchObject({
      isError: true,
      closed: 'exited',
      closedReason: 'exited with signal SIGKILL while the request was in flight',
    });
    expect(alive!.closed).toBeUndefined();
    // A request recorded before the death but delivered after the state event is closed as it arrives…
    pairing.ingest([frame({ method: 'tools/call', pairKey: 'p3', clientId: 10, time: 140 })]);
    expect(pairing.rows.toArray()[2]).toMatchObject({ closed: 'exited' });
    // …and once the new child is heard from, new requests wait for their answers again.
    pairing.ingest([frame({ method: 'tools/call', pairKey: 'p4', clientId: 11, time: 200 })]);
    expect(pairing.rows.toArray()[3]!.closed).toBeUndefined();
    // The engine's own record of the error it answered with, arriving after the state event, replaces the guess.
    pairing.ingest([
      frame({
        kind: 'response',
        direction: 'down',
        pairKey: 'p1',
        isError: true,
        payload: '{"jsonrpc":"2.0","id":9,"error":{"code":-32000,"message":"exited while the request was in flight"}}',
      }),
    ]);
    expect(pairing.rows.toArray()).toHaveLength(4);
    expect(pairing.rows.toArray()[0]).toMatchObject({ isError: true });
    expect(pairing.rows.toArray()[0]!.closed).toBeUndefined();
    expect(pairing.rows.toArray()[0]!.response?.payload).toContain('-32000');
  });

  it('closes a request cancelled upstream, found by the id the child saw', () => {
    const pairing = new TrafficPairing(10);
    pairing.ingest([
      frame({ method: 'tools/call', pairKey: 'c1', clientId: 'a', payload: '{"jsonrpc":"2.0","id":7,"method":"x"}' }),
      frame({ method: 'tools/call', pairKey: 'c2', clientId: 'b', payload: '{"jsonrpc":"2.0","id":8,"method":"x"}' }),
      frame({
        kind: 'notification',
        method: 'notifications/cancelled',
        payload: '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":8,"reason":"timed out"}}',
      }),
    ]);
    const [first, second] = pairing.rows.toArray();
    expect(first!.closed).toBeUndefined();
    expect(second).toMatchObject({ closed: 'cancelled', closedReason: 'timed out', isError: true });
    expect(childIdOf(second!.request!)).toBe(8);
  });
});
