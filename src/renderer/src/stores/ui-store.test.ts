import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUiStore, NOTICE_LIFETIME_MS } from './ui-store.js';

describe('notices', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('go by themselves, warnings later than news, errors never', () => {
    const ui = createUiStore('');
    ui.getState().notify('Saved 2 servers.', 'info');
    ui.getState().notify('Logging is degraded: the disk is full.', 'warning');
    ui.getState().notify('Could not reach the host.', 'error');
    const tones = () => ui.getState().notices.map((n) => n.tone);
    expect(tones()).toEqual(['info', 'warning', 'error']);
    vi.advanceTimersByTime(NOTICE_LIFETIME_MS.info!);
    expect(tones()).toEqual(['warning', 'error']);
    vi.advanceTimersByTime(NOTICE_LIFETIME_MS.warning! - NOTICE_LIFETIME_MS.info!);
    expect(tones()).toEqual(['error']);
    vi.advanceTimersByTime(60 * 60_000);
    expect(tones()).toEqual(['error']);
    ui.getState().dismiss(ui.getState().notices[0]!.id);
    expect(tones()).toEqual([]);
  });

  it('a notice dismissed early does not take another with it when its timer fires', () => {
    const ui = createUiStore('');
    ui.getState().notify('first', 'info');
    ui.getState().dismiss(ui.getState().notices[0]!.id);
    ui.getState().notify('second', 'error');
    vi.advanceTimersByTime(NOTICE_LIFETIME_MS.info!);
    expect(ui.getState().notices.map((n) => n.message)).toEqual(['second']);
  });
});
