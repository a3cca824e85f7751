import { defineConfig } from '@playwright/test';
import { chromiumFlags } from './e2e/helpers/paths.js';

/**
 * Three projects, run by `scripts/e2e.mjs` (`npm test`) or by name (`npx playwright test --project=dashboard`):
 * - dashboard: the dashboard in Debian's Chromium against the real headless host (`switchboard serve`);
 * - electron: the built desktop app through Playwright's Electron driver (AppApi over IPC, the tray);
 * - perf: the dashboard benchmark (`npm run bench:dashboard`), not part of `npm test`.
 * The global setup builds out/ first (SKIP_BUILD=1 reuses it).
 */
export default defineConfig({
  testDir: 'e2e',
  projects: [
    { name: 'dashboard', testMatch: ['dashboard*.spec.ts', 'layout.spec.ts'] },
    { name: 'electron', testMatch: ['electron.spec.ts'] },
    { name: 'perf', testMatch: ['perf.spec.ts'] },
  ],
  globalSetup: './e2e/helpers/global-setup.ts',
  // One host process and one browser at a time: two cores, and the perf figure must not compete with anything.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1360, height: 860 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // scripts/e2e.mjs sets CHROMIUM_PATH to the browser it found (CHROMIUM_PATH, /usr/bin/chromium, or PATH).
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumFlags,
    },
  },
});
