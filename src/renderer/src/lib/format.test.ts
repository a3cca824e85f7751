import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatMs, plural } from './format.js';

describe('human units', () => {
  it('shows sizes in decimal kB, MB and GB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(4_200)).toBe('4.2 kB');
    expect(formatBytes(999_999)).toBe('1.0 MB');
    expect(formatBytes(38_000_000)).toBe('38 MB');
    expect(formatBytes(4 * 1024 * 1024)).toBe('4.2 MB');
    expect(formatBytes(null)).toBe('—');
  });

  it('shows lengths of time in ms, s, min and h', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(30_000)).toBe('30 s');
    expect(formatDuration(1_500)).toBe('1.5 s');
    expect(formatDuration(300_000)).toBe('5 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
    expect(formatMs(0.5)).toBe('0.50 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(90_000)).toBe('1.5 min');
  });

  it('agrees nouns with their count', () => {
    expect(plural(1, 'error')).toBe('1 error');
    expect(plural(0, 'error')).toBe('0 errors');
    expect(plural(2, 'session')).toBe('2 sessions');
    expect(plural(3, 'process', 'processes')).toBe('3 processes');
    expect(plural(1200, 'line')).toBe('1,200 lines');
  });
});
