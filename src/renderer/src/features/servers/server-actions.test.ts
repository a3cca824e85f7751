import { describe, expect, it } from 'vitest';
import type { ServerState } from '../../../../shared/app-api.js';
import { serverActions } from './server-actions.js';

const calls: string[] = [];
const on = {
  start: () => calls.push('start'),
  stop: () => calls.push('stop'),
  restart: () => calls.push('restart'),
  edit: () => calls.push('edit'),
  remove: () => calls.push('remove'),
};
const labels = (state: ServerState) => {
  const { primary, more } = serverActions(state, on);
  return [primary.label + (primary.disabled ? ' (disabled)' : ''), ...more.map((m) => m.label)];
};

describe('serverActions', () => {
  it('offers only what applies: never Start and Restart together', () => {
    expect(labels('stopped')).toEqual(['Start', 'Edit…', 'Remove…']);
    expect(labels('failed')).toEqual(['Start', 'Edit…', 'Remove…']);
    expect(labels('running')).toEqual(['Stop', 'Restart', 'Edit…', 'Remove…']);
    expect(labels('degraded')).toEqual(['Stop', 'Restart', 'Edit…', 'Remove…']);
    expect(labels('backoff')).toEqual(['Start now', 'Stop', 'Edit…', 'Remove…']);
    expect(labels('starting')).toEqual(['Stop', 'Edit…', 'Remove…']);
    expect(labels('installing')).toEqual(['Stop', 'Edit…', 'Remove…']);
    expect(labels('stopping')).toEqual(['Stop (disabled)', 'Edit…', 'Remove…']);
    for (const state of ['stopped', 'failed', 'running', 'backoff', 'starting', 'stopping'] as const) {
      const all = labels(state);
      expect(all.includes('Start') && all.includes('Restart'), state).toBe(false);
    }
  });

  it('wires each label to its handler', () => {
    calls.length = 0;
    const { primary, more } = serverActions('running', on);
    primary.onSelect();
    for (const item of more) item.onSelect();
    expect(calls).toEqual(['stop', 'restart', 'edit', 'remove']);
  });
});
