import { defineConfig } from '@playwright/test';

/**
 * The dashboard in Debian's Chromium against the real headless host (`switchboard serve`) with real servers.
 * Run: npx playwright test (the global setup builds the renderer first; SKIP_BUILD=1 reuses out/renderer).
 * e2e/electron.spec.ts is a node:test script of its own and is not part of this suite.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: ['dashboard*.spec.ts', 'layout.spec.ts', 'perf.spec.ts'],
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
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
