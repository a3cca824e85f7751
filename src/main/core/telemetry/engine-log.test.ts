import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type LogRecord } from '../util/logger.js';
import { EngineLog, teeSinks, type EngineLogRecord } from './engine-log.js';
import { REDACTED, Redactor } from './redaction.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('EngineLog', () => {
  it('keeps structured records from a logger, with the server they concern', () => {
    const log = new EngineLog();
    const logger = createLogger('debug', log.sink);
    logger.info('listening', { port: 1 });
    logger.child('fx').warn('process exited with code 1');
    logger.child('gateway').info('request', { server: 'fy' });
    logger.child('fx').child('stderr').info('boom');
    expect(log.query().map((r) => [r.server, r.stream, r.level, r.message])).toEqual([
      [null, 'engine', 'info', 'listening'],
      ['fx', 'engine', 'warn', 'process exited with code 1'],
      ['fy', 'engine', 'info', 'request'],
      ['fx', 'stderr', 'info', 'boom'],
    ]);
    log.dispose();
  });

  it('answers queries by server, minimum level, stream, text, time and limit', () => {
    const log = new EngineLog({ isServer: (n) => n === 'fx' });
    const logger = createLogger('debug', log.sink);
    logger.child('fx').debug('spawned');
    logger.child('fx').error('Handshake FAILED');
    logger.child('store').warn('slow write');
    log.addStderr('fx', 'stack trace line', Date.now() + 10);
    expect(log.query({ server: 'fx' })).toHaveLength(3);
    expect(log.query({ level: 'warn' }).map((r) => r.message)).toEqual(['Handshake FAILED', 'slow write']);
    expect(log.query({ level: 'warn' }).find((r) => r.message === 'slow write')?.server).toBeNull();
    expect(log.query({ stream: 'stderr' }).map((r) => r.message)).toEqual(['stack trace line']);
    expect(log.query({ text: 'failed' }).map((r) => r.message)).toEqual(['Handshake FAILED']);
    expect(log.query({ sinceTime: Date.now() + 5 }).map((r) => r.message)).toEqual(['stack trace line']);
    expect(log.query({ limit: 2 }).map((r) => r.seq)).toEqual([3, 4]);
    log.dispose();
  });

  it('is bounded, and hands every record to its sink in batches', () => {
    const batches: EngineLogRecord[][] = [];
    const log = new EngineLog({ capacity: 5, batchMaxRows: 4, sink: (r) => batches.push(r) });
    for (let i = 0; i < 10; i++) log.addStderr('fx', `line ${i}`);
    expect(log.size).toBe(5);
    expect(batches.map((b) => b.length)).toEqual([4, 4]);
    vi.advanceTimersByTime(100);
    expect(batches.flat().map((r) => r.message)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i}`));
    log.dispose();
  });

  it('redacts secrets in messages and string fields', () => {
    const redactor = new Redactor(['hunter2-password']);
    const log = new EngineLog({ redactor });
    log.addStderr('fx', 'connecting with hunter2-password');
    createLogger('info', log.sink).info('auth', { header: 'Authorization: Basic abcdef', n: 1 });
    const [a, b] = log.query();
    expect(a.message).toBe(`connecting with ${REDACTED}`);
    expect(b.fields).toEqual({ header: `Authorization: Basic ${REDACTED}`, n: 1 });
    log.dispose();
  });

  it('composes with other sinks and feeds live views in batches', () => {
    const log = new EngineLog();
    const elsewhere: LogRecord[] = [];
    const logger = createLogger(
      'info',
      teeSinks((r) => elsewhere.push(r), log.sink),
    );
    const live: number[] = [];
    const off = log.onBatch((b) => live.push(b.items.length));
    for (let i = 0; i < 30; i++) logger.info(`m${i}`);
    vi.advanceTimersByTime(100);
    expect(elsewhere).toHaveLength(30);
    expect(live).toEqual([30]);
    off();
    log.dispose();
  });
});
