/**
 * RELIABILITY row C7, the logs half: real children flood stderr through the full host (engine, telemetry, SQLite
 * store in a temp dir), and the test counts the rows that reached the database file.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import { DATABASE_FILE } from '../src/main/core/store/database.js';
import { connectClient, textOf } from './helpers/clients.js';
import { fixtureServer } from './helpers/engine.js';
import { startHost, tempDir } from './helpers/host.js';

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

const BURST = 20_000; // 4 s at 5,000 lines/s

/** Rows of `server` in the database file: flood lines kept, and the drops its summary rows count. */
function stored(dataDir: string, server: string): { kept: number; dropped: number; summaries: number } {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const kept = db
      .prepare("SELECT count(*) FROM logs WHERE server = ? AND message LIKE 'flood line %'")
      .pluck()
      .get(server) as number;
    const summaries = db
      .prepare("SELECT message FROM logs WHERE server = ? AND message LIKE '[switchboard] dropped %'")
      .pluck()
      .all(server) as string[];
    const dropped = summaries.reduce((n, m) => n + Number(/dropped (\d+) /.exec(m)![1]), 0);
    return { kept, dropped, summaries: summaries.length };
  } finally {
    db.close();
  }
}

describe('stderr under a flood, counted in the store (C7)', () => {
  it('stores a 4 s burst at 5,000 lines/s; a server capped lower stores one summary a second for the rest', async () => {
    const dataDir = tempDir();
    host = await startHost({ dataDir });
    const running = host;
    const flooder = (name: string, options = {}) =>
      running.api.addServer({ name, command: process.execPath, args: [fixtureServer, '--name', name], options });
    await flooder('loud');
    await flooder('capped', { stderrLinesPerSecond: 1000 });
    for (const name of ['loud', 'capped'])
      await expect
        .poll(() => running.engine.servers.get(name)?.supervisor.state.state, { timeout: 20_000 })
        .toBe('running');

    const flood = async (name: string) => {
      const client = await connectClient(running.engine.url, name, 'streamable', { token: running.token! });
      const started = performance.now();
      const result = await client.callTool(
        { name: 'stderr-flood', arguments: { count: BURST, rate: 5000, width: 80 } },
        undefined,
        { timeout: 60_000 },
      );
      await client.close();
      expect(textOf(result)).toMatch(new RegExp(`^flooded ${BURST} `));
      return performance.now() - started;
    };
    const [, cappedMs] = await Promise.all([flood('loud'), flood('capped')]);

    // Every line is kept or counted once the last summary (due a second after the last drop) is written.
    const settled = async (name: string) => {
      await expect
        .poll(
          async () => {
            await running.store.flush();
            const { kept, dropped } = stored(dataDir, name);
            return kept + dropped;
          },
          { timeout: 20_000 },
        )
        .toBe(BURST);
      return stored(dataDir, name);
    };
    const loud = await settled('loud');
    expect(loud.kept).toBeGreaterThanOrEqual(10_000);
    const capped = await settled('capped');
    // 1,000 lines/s with a 2 s burst keeps about 6,000 of 20,000; the rest is a handful of rows, not thousands.
    expect(capped.kept).toBeGreaterThanOrEqual(2_000);
    expect(capped.kept).toBeLessThan(BURST);
    expect(capped.summaries).toBeGreaterThan(0);
    expect(capped.summaries).toBeLessThanOrEqual(Math.ceil(cappedMs / 1000) + 2);
  }, 120_000);
});
