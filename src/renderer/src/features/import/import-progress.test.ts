import { describe, expect, it } from 'vitest';
import type { ServerState, ServerView } from '../../../../shared/app-api.js';
import { importSummary, outcomeOf, watchImport } from './import-progress.js';

function view(name: string, state: ServerState, reason = '', enabled = true): ServerView {
  return {
    definition: { name, enabled } as ServerView['definition'],
    status: { state, reason, since: 0, pid: null },
  } as ServerView;
}

describe('import progress', () => {
  it('says what happened, counting each outcome', () => {
    const views = [
      view('a', 'running'),
      view('b', 'failed', '`uvx` not found on PATH=/usr/bin'),
      view('c', 'failed', 'exited with code 1'),
      view('d', 'failed', 'exited with code 1'),
      view('e', 'failed', 'exited with code 1'),
    ];
    expect(importSummary(views)).toEqual({
      settled: true,
      allWell: false,
      message: 'Imported 5 servers: 1 running, 4 failed — see each row',
      tone: 'warning',
    });
  });

  it('is not settled while a server is starting or retrying; installing is a known wait', () => {
    expect(importSummary([view('a', 'running'), view('b', 'starting')]).settled).toBe(false);
    expect(importSummary([view('a', 'running'), view('b', 'backoff')]).settled).toBe(false);
    const installing = importSummary([view('a', 'running'), view('b', 'installing')]);
    expect(installing).toMatchObject({ settled: true, allWell: false, tone: 'info' });
    expect(installing.message).toBe('Imported 2 servers: 1 running, 1 installing — see each row');
  });

  it('is all well when every server runs or was imported disabled', () => {
    const summary = importSummary([view('a', 'running'), view('b', 'stopped', 'not started', false)]);
    expect(summary).toMatchObject({ allWell: true, message: 'Imported 2 servers: 1 running, 1 disabled.' });
    expect(importSummary([view('a', 'running')]).message).toBe('Imported 1 server: 1 running.');
  });

  it('shows an installing row with its stderr tail', () => {
    const v = view('a', 'installing', 'installing: `npx` fetches the package on its first run');
    v.status.stderrTail = ['npm http fetch GET 200 https://registry.npmjs.org/x'];
    expect(outcomeOf(v)).toMatchObject({ label: 'installing…', stderrTail: v.status.stderrTail, settled: true });
    expect(outcomeOf(undefined).label).toBe('removed');
  });

  it('tells once, when the last server settles, and stops listening', () => {
    let byName: Record<string, ServerView> = { a: view('a', 'starting'), b: view('b', 'starting') };
    const listeners = new Set<() => void>();
    const store = {
      getState: () => ({ byName }),
      subscribe: (fn: () => void) => (listeners.add(fn), () => listeners.delete(fn)),
    };
    const told: string[] = [];
    watchImport(store, ['a', 'b'], (s) => told.push(s.message));
    const change = (next: Record<string, ServerView>) => {
      byName = { ...byName, ...next };
      listeners.forEach((fn) => fn());
    };
    change({ a: view('a', 'running') });
    expect(told).toEqual([]);
    change({ b: view('b', 'failed', 'exited with code 1') });
    expect(told).toEqual(['Imported 2 servers: 1 running, 1 failed — see each row']);
    expect(listeners.size).toBe(0);
  });
});
