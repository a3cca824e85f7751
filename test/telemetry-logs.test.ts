import { describe, expect, it } from 'vitest';
import { EngineLog, type EngineLogRecord } from '../src/main/core/telemetry/engine-log.js';
import { createLogger } from '../src/main/core/util/logger.js';
import { connectClient } from './helpers/clients.js';
import { fixture, startTestEngine } from './helpers/engine.js';

describe('EngineLog on a real engine', () => {
  it('keeps the engine’s structured log and each server’s stderr, queryable and batched to a sink', async () => {
    const stored: EngineLogRecord[] = [];
    let servers = new Set<string>();
    const log = new EngineLog({ sink: (r) => stored.push(...r), isServer: (n) => servers.has(n) });
    const gw = await startTestEngine([fixture('fx'), fixture('fy')], { logger: createLogger('debug', log.sink) });
    servers = new Set(gw.engine.servers.keys());
    try {
      const client = await connectClient(gw.url, 'fx');
      await client.callTool({ name: 'stderr', arguments: { count: 3 } });
      for (let i = 0; i < 50 && log.query({ stream: 'stderr', server: 'fx' }).length < 3; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(log.query({ stream: 'stderr', server: 'fx' }).map((r) => r.message.trim())).toEqual([
        'stderr line 0',
        'stderr line 1',
        'stderr line 2',
      ]);
      expect(log.query({ server: 'fy', stream: 'stderr' })).toEqual([]);
      const started = log.query({ text: 'started' });
      expect(started.map((r) => r.server).sort()).toEqual(['fx', 'fy']);
      expect(log.query({ level: 'warn' }).every((r) => r.level === 'warn' || r.level === 'error')).toBe(true);
      await client.close();
    } finally {
      await gw.stop();
      log.dispose();
    }
    expect(stored.map((r) => r.seq)).toEqual(log.query({ limit: 10_000 }).map((r) => r.seq));
  });
});
