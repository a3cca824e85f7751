// Performance: with about 2,000 traffic frames a second flowing (1,000 echo calls a second through the gateway,
// each a request and a response), the open Traffic tab must not block the page: no long task over 50 ms.
// Run: npm run bench:dashboard   (prints the figures and records them in docs/benchmarks.md). A benchmark, not part
// of `npm test`: a timing figure on a shared machine says more as a recorded measurement than as a pass/fail.
import { getPriority, loadavg, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeSection } from '../bench/doc-sections.js';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { driveEcho, McpLoadClient } from './helpers/mcp-load.js';
import { everythingEntry } from './helpers/paths.js';

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
