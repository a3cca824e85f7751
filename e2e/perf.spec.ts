// Performance: with about 2,000 traffic frames a second flowing (1,000 echo calls a second through the gateway,
// each a request and a response), the open Traffic tab must not block the page: no long task over 50 ms.
// Run: npm run bench:dashboard   (prints the figures and records them in docs/benchmarks.md). A benchmark, not part
// of `npm test`: a timing figure on a shared machine says more as a recorded measurement than as a pass/fail.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, getPriority, loadavg, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeSection } from '../bench/doc-sections.js';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { driveEcho, McpLoadClient } from './helpers/mcp-load.js';
import { everythingEntry, repoRoot } from './helpers/paths.js';
import { join } from 'node:path';

const CALLS_PER_SECOND = Number(process.env.PERF_CALLS_PER_SECOND ?? 1000);
const SECONDS = Number(process.env.PERF_SECONDS ?? 15);
/** The goal. A busy machine stretches every task while the page waits for a CPU: see docs/dashboard.md. */
const MAX_LONG_TASK_MS = Number(process.env.PERF_MAX_LONG_TASK_MS ?? 50);

/**
 * Runs in the page before the dashboard: long tasks (over 50 ms by definition) and the longest gap between two
 * animation frames, which also shows shorter stalls. A string, because the Node tsconfig has no DOM types.
 */
const PROBE = `
  window.__perf = { longTasks: [], maxFrameGap: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__perf.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  let last = performance.now();
  const tick = (now) => {
    window.__perf.maxFrameGap = Math.max(window.__perf.maxFrameGap, now - last);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

// No trace: its DOM snapshots run in the page and would be measured as the dashboard's own long tasks.
test.use({
  trace: 'off',
  hostOptions: {
    nice: Number(process.env.PERF_HOST_NICE ?? 10),
    servers: { everything: { command: 'node', args: [everythingEntry, 'stdio'] } },
  },
});

const fixtureServer = join(repoRoot, 'test', 'fixtures', 'fixture-server.mjs');
/** Long tasks seen since the last reset, and the reset. */
const takeLongTasks = async (page: import('@playwright/test').Page): Promise<number[]> =>
  (await page.evaluate('window.__perf.longTasks.splice(0)')) as number[];
const longest = (tasks: number[]) => Math.round(tasks.length ? Math.max(...tasks) : 0);
const loadFigures: Record<string, { longTasks: number; maxLongTaskMs: number }> = {};

test.describe('first load and tabs of a flooding server', () => {
  test.use({
    hostOptions: {
      nice: Number(process.env.PERF_HOST_NICE ?? 10),
      servers: {
        everything: { command: 'node', args: [everythingEntry, 'stdio'] },
        flood: { command: 'node', args: [fixtureServer, '--name', 'flood'] },
      },
    },
  });

  test('no long task at first load or when opening any tab of a flooding server', async ({ page, host }) => {
    test.setTimeout(180_000);
    // The flood first, so the page opens onto a server with thousands of stderr lines behind it and more coming.
    const client = new McpLoadClient(`${host.baseUrl}/servers/flood/mcp`, host.token);
    await expect
      .poll(
        () =>
          host
            .invoke<Array<{ status: { state: string } }>>('listServers')
            .then((l) => l.map((v) => v.status.state).join()),
        { timeout: 30_000 },
      )
      .toBe('running,running');
    await client.initialize('flood-driver');
    const flood = client.callTool('stderr-flood', { count: 60_000, rate: 2_000, width: 60 });
    await expect
      .poll(async () => (await host.invoke<unknown[]>('queryLogs', { server: 'flood', limit: 5000 })).length, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(5000);

    await page.addInitScript({ content: PROBE });
    await openDashboard(page, host);
    await expect(page.locator('tr[data-server="flood"]')).toBeVisible();
    await page.waitForTimeout(1000); // the first metrics batches render too
    const firstLoad = await takeLongTasks(page);
    loadFigures['first load'] = { longTasks: firstLoad.length, maxLongTaskMs: longest(firstLoad) };

    await page.locator('tr[data-server="flood"]').click();
    for (const tab of ['Logs', 'Traffic', 'Explorer', 'Terminal', 'Connect', 'Logs'] as const) {
      await takeLongTasks(page);
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
      await expect(page.locator('#detail-panel [role="status"]', { hasText: /^Loading/ })).toHaveCount(0);
      await page.waitForTimeout(1000); // the tab's first data and a few live batches
      const tasks = await takeLongTasks(page);
      const key = loadFigures[`open ${tab}`] ? `open ${tab} again` : `open ${tab}`;
      loadFigures[key] = { longTasks: tasks.length, maxLongTaskMs: longest(tasks) };
    }
    await expect(page.getByTestId('log-count')).not.toHaveText('0 lines');
    await flood;
    await client.close();

    console.log(`perf (load and tabs): ${JSON.stringify(loadFigures)}`);
    await test
      .info()
      .attach('load.json', { body: JSON.stringify(loadFigures, null, 2), contentType: 'application/json' });
    if (process.env.WRITE_BENCH_DOC === '1') writeSection(benchmarksDoc, 'dashboard-load', loadSection(loadFigures));
    for (const [what, figure] of Object.entries(loadFigures)) {
      expect(figure.maxLongTaskMs, `longest task: ${what}`).toBeLessThanOrEqual(MAX_LONG_TASK_MS);
    }
  });
});

test('the traffic tab stays responsive at 2,000 frames per second', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.addInitScript({ content: PROBE });
  await openDashboard(page, host, '#/servers/everything/traffic');
  await expect(page.locator('.detail-header [data-state="running"]')).toBeVisible({ timeout: 30_000 });

  const client = new McpLoadClient(`${host.baseUrl}/servers/everything/mcp`, host.token);
  await client.initialize('perf');
  await driveEcho(client, 50, 1); // warm up: the first rows, the virtualizer, the JIT
  await page.waitForTimeout(500);
  await page.evaluate('window.__perf.longTasks = []; window.__perf.maxFrameGap = 0');

  const loadBefore = loadavg()[0]!;
  // The load generator runs in this worker: let the page have the CPU first, as the host does (nice 10).
  const priority = getPriority();
  setPriority(Math.max(priority, 10));
  const load = await driveEcho(client, CALLS_PER_SECOND, SECONDS).finally(() => {
    try {
      setPriority(priority);
    } catch {
      // Raising the priority back needs privileges; staying nice costs the next test nothing it measures.
    }
  });
  await page.waitForTimeout(500); // the last batches
  await client.close();
  const perf = (await page.evaluate('window.__perf')) as { longTasks: number[]; maxFrameGap: number };
  const rows = Number(await page.getByTestId('traffic-list').getAttribute('data-count'));

  const framesPerSecond = (load.calls * 2) / load.seconds;
  const maxLongTask = perf.longTasks.length ? Math.max(...perf.longTasks) : 0;
  const summary = {
    framesPerSecond: Math.round(framesPerSecond),
    calls: load.calls,
    failures: load.failures,
    seconds: +load.seconds.toFixed(1),
    longTasks: perf.longTasks.length,
    maxLongTaskMs: Math.round(maxLongTask),
    maxFrameGapMs: Math.round(perf.maxFrameGap),
    rowsInView: rows,
    // Other work on the machine shows here: the figure means little when this is well above the core count.
    loadAverageBefore: +loadBefore.toFixed(2),
  };
  console.log(`perf: ${JSON.stringify(summary)}`);
  await test.info().attach('perf.json', { body: JSON.stringify(summary, null, 2), contentType: 'application/json' });

  if (process.env.WRITE_BENCH_DOC === '1') writeSection(benchmarksDoc, 'dashboard', perfSection(summary));

  expect(load.failures, load.firstError).toBe(0);
  expect(framesPerSecond, 'the load generator reached the target rate').toBeGreaterThan(CALLS_PER_SECOND * 2 * 0.8);
  expect(maxLongTask, 'longest task while 2,000 frames/s flow').toBeLessThanOrEqual(MAX_LONG_TASK_MS);
});

const benchmarksDoc = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

function perfSection(s: Record<string, unknown>): string {
  return [
    '## Dashboard under load',
    '',
    `Command: \`npm run bench:dashboard\` (Playwright, Debian Chromium, against \`switchboard serve\`); ${new Date().toISOString()}.`,
    'The Traffic tab is open while echo calls through the gateway produce 2,000 traffic frames per second; a',
    "PerformanceObserver records the page's long tasks (goal: none over 50 ms).",
    '',
    '| frames/s | calls | failures | long tasks | longest task ms | longest frame gap ms | load average before |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${s.framesPerSecond} | ${s.calls} | ${s.failures} | ${s.longTasks} | ${s.maxLongTaskMs} | ${s.maxFrameGapMs} | ${s.loadAverageBefore} |`,
  ].join('\n');
}

/** The first screen's script as built (out/renderer) and as sent: raw, gzip and brotli bytes of the entry chunk. */
function entryChunkSizes(): string {
  const dir = join(repoRoot, 'out', 'renderer');
  const entry = /<script[^>]*src="\.?\/?(assets\/[^"]+\.js)"/.exec(readFileSync(join(dir, 'index.html'), 'utf8'))?.[1];
  if (!entry) return 'entry chunk: not found in out/renderer/index.html';
  const size = (suffix: string) =>
    existsSync(join(dir, entry + suffix)) ? statSync(join(dir, entry + suffix)).size : 0;
  const chunks = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js')).length;
  const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  return `Entry chunk \`${entry}\`: ${kB(size(''))} minified, ${kB(size('.gz'))} gzip, ${kB(size('.br'))} brotli (before: 978.7 kB, unminified, uncompressed); ${chunks} chunks in all, each page and tab loaded when first opened.`;
}

function loadSection(figures: Record<string, { longTasks: number; maxLongTaskMs: number }>): string {
  return [
    '## Dashboard: first load and opening each tab of a flooding server',
    '',
    `Command: \`npm run bench:dashboard\` (e2e/perf.spec.ts, Debian Chromium, against \`switchboard serve\`); ${new Date().toISOString()}.`,
    'Two servers (server-everything and a fixture writing 2,000 stderr lines a second, at least 5,000 already stored);',
    'the page is opened on the servers list, then each tab of the flooding server in turn. A PerformanceObserver',
    'records long tasks (goal: none over 50 ms) from navigation to the list being shown, and from each tab click',
    'to one second after the tab rendered. The build is minified, split per page and tab, and served precompressed.',
    '',
    entryChunkSizes(),
    '',
    `Load average before the run: ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores (figures stretch with it: see the note below the table).`,
    '',
    '| moment | long tasks | longest task ms |',
    '| --- | ---: | ---: |',
    ...Object.entries(figures).map(([what, f]) => `| ${what} | ${f.longTasks} | ${f.maxLongTaskMs} |`),
    '',
    'Note: a long task is wall time. With the load average well above the core count, the page waits for a CPU in',
    'the middle of its tasks and every figure grows with the load; only a run on a quiet machine (load average',
    'below the core count) says whether the 50 ms goal is met.',
  ].join('\n');
}
