import { describe, expect, it } from 'vitest';
import { RestartPolicy, defaultRestartPolicy } from './restart-policy.js';

describe('RestartPolicy (C1, C2)', () => {
  it('backs off 1, 2, 4, 8 … s and caps at 30 s', () => {
    const policy = new RestartPolicy({ ...defaultRestartPolicy, maxFailures: 100, maxFailedStarts: 100 }, () => 0.5);
    const delays = Array.from({ length: 8 }, (_, i) => policy.onFailure(i * 60_001, null));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('applies ±20 % jitter', () => {
    const low = new RestartPolicy(defaultRestartPolicy, () => 0).onFailure(0, null);
    const high = new RestartPolicy(defaultRestartPolicy, () => 1).onFailure(0, null);
    expect(low).toBe(800);
    expect(high).toBe(1200);
  });

  it('opens the breaker after 5 failures within 60 s, and a user start closes it', () => {
    const policy = new RestartPolicy(defaultRestartPolicy, () => 0.5);
    const results = [0, 1000, 3000, 7000, 15000].map((t) => policy.onFailure(t, null));
    expect(results.slice(0, 4).every((d) => typeof d === 'number')).toBe(true);
    expect(results[4]).toBeNull();
    policy.reset();
    expect(policy.onFailure(16000, null)).toBe(1000);
  });

  it('does not count failures older than the window', () => {
    const policy = new RestartPolicy({ ...defaultRestartPolicy, maxFailures: 3 }, () => 0.5);
    expect(policy.onFailure(0, null)).not.toBeNull();
    expect(policy.onFailure(10_000, null)).not.toBeNull();
    expect(policy.onFailure(70_001, null)).not.toBeNull(); // the first one fell out of the 60 s window
  });

  it('starts again from 1 s after 60 s healthy', () => {
    const policy = new RestartPolicy(defaultRestartPolicy, () => 0.5);
    policy.onFailure(0, null);
    policy.onFailure(1000, null);
    expect(policy.onFailure(100_000, 30_000)).toBe(1000);
  });

  it('opens the breaker after 5 starts in a row that never ran, however slowly they fail', () => {
    // Each failed start costs a 10 s handshake timeout, the stop sequence (npm needs SIGTERM) and the backoff:
    // never 5 failures inside 60 s, as with the `npx -y` servers that restarted 14 times.
    const policy = new RestartPolicy(defaultRestartPolicy, () => 0.5);
    const at = [15_000, 31_000, 50_000, 73_000, 100_000];
    const results = at.map((t) => policy.onFailure(t, null));
    expect(results.slice(0, 4).every((d) => typeof d === 'number')).toBe(true);
    expect(results[4]).toBeNull();
    expect(policy.cause).toBe('failed-starts');
  });

  it('a run in between resets the count of failed starts', () => {
    const policy = new RestartPolicy(defaultRestartPolicy, () => 0.5);
    const t = (i: number) => i * 61_000; // one failure per window: only the failed-start rule can open
    for (let i = 0; i < 4; i++) expect(policy.onFailure(t(i), null)).not.toBeNull();
    expect(policy.onFailure(t(4), t(4) - 1000)).not.toBeNull(); // crashed after running: not a failed start
    for (let i = 5; i < 9; i++) expect(policy.onFailure(t(i), null)).not.toBeNull();
    expect(policy.onFailure(t(9), null)).toBeNull();
    expect(policy.cause).toBe('failed-starts');
  });

  it('says the window opened the breaker when both rules hold', () => {
    const policy = new RestartPolicy(defaultRestartPolicy, () => 0.5);
    for (const t of [0, 1, 2, 3]) policy.onFailure(t, null);
    expect(policy.onFailure(4, null)).toBeNull();
    expect(policy.cause).toBe('window');
  });
});
