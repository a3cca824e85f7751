import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogLine, MetricsSnapshot, ServerStatus } from '../../../shared/app-api.js';
import type { AppEventBatch } from '../../../shared/app-transport.js';
import { EventBatcher } from './event-batcher.js';

const log = (message: string): LogLine => ({ time: 1, level: 'info', source: 'engine', message });
const status = (state: ServerStatus['state']): ServerStatus => ({ state, reason: '', since: 1, pid: null });
const metrics = (time: number): MetricsSnapshot => ({ time, servers: {}, sessions: [] });

afterEach(() => vi.useRealTimers());

describe('EventBatcher', () => {
  it('delivers about ten batches a second, coalescing each kind of event', () => {
    vi.useFakeTimers();
    const batches: AppEventBatch[] = [];
    const batcher = new EventBatcher({ deliver: (b) => batches.push(b) });
    batcher.push('logs', [log('a')]);
    batcher.push('metrics', metrics(1));
    batcher.push('serverState', { server: 'x', ...status('starting') });
    batcher.push('serverState', { server: 'y', ...status('starting') });
    batcher.push('logs', [log('b'), log('c')]);
    batcher.push('serverState', { server: 'x', ...status('running') });
    batcher.push('metrics', metrics(2));
    batcher.push('serversChanged', { names: ['x'] });
    batcher.push('serversChanged', { names: ['y', 'x'] });
    batcher.push('terminalData', { id: 't', data: 'he' });
    batcher.push('terminalData', { id: 't', data: 'llo' });
    batcher.push('terminalExit', { id: 't', code: 0 });
    batcher.push('warning', { message: 'one' });
    batcher.push('warning', { message: 'two' });
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([
      { event: 'logs', payload: [log('a'), log('b'), log('c')] },
      { event: 'metrics', payload: metrics(2) },
      { event: 'serverState', payload: { server: 'x', ...status('running') } },
      { event: 'serverState', payload: { server: 'y', ...status('starting') } },
      { event: 'serversChanged', payload: { names: ['x', 'y'] } },
      { event: 'terminalData', payload: { id: 't', data: 'hello' } },
      { event: 'terminalExit', payload: { id: 't', code: 0 } },
      { event: 'warning', payload: { message: 'one' } },
      { event: 'warning', payload: { message: 'two' } },
    ]);
    // Idle: no timer, no empty batches.
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(1);
  });

  it('never mutates the arrays it was given, and keeps only the newest items past the cap', () => {
    const batches: AppEventBatch[] = [];
    const batcher = new EventBatcher({ deliver: (b) => batches.push(b), maxItems: 3 });
    const first = [log('1'), log('2')];
    batcher.push('logs', first);
    batcher.push('logs', [log('3'), log('4')]);
    batcher.flush();
    expect(first).toHaveLength(2);
    expect(batches[0]![0]!.payload).toEqual([log('2'), log('3'), log('4')]);
  });

  it('survives a throwing transport and stops for good on dispose', () => {
    const onError = vi.fn();
    const batcher = new EventBatcher({
      deliver: () => {
        throw new Error('window gone');
      },
      onError,
    });
    batcher.push('warning', { message: 'x' });
    batcher.flush();
    expect(onError).toHaveBeenCalledOnce();
    batcher.dispose();
    batcher.push('warning', { message: 'y' });
    batcher.flush();
    expect(onError).toHaveBeenCalledOnce();
  });
});
