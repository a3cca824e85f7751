import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { screenshotsDir } from './paths.js';
import { startHost, type HostOptions, type SwitchboardHost } from './switchboard-host.js';

interface Fixtures {
  hostOptions: HostOptions;
  host: SwitchboardHost;
  /** Saves <screenshotsDir>/<name>.png (docs/screenshots with UPDATE_SCREENSHOTS=1). */
  shot(name: string): Promise<void>;
}

/**
 * `host`: a fresh `switchboard serve` per test. `page`: fails the test on any uncaught error in the page
 * (the "no uncaught errors during the suite").
 */
export const test = base.extend<Fixtures>({
  hostOptions: [{}, { option: true }],
  host: async ({ hostOptions }, use) => {
    const host = await startHost(hostOptions);
    try {
      await use(host);
    } finally {
      await host.stop();
    }
  },
  page: async ({ page }, use, testInfo) => {
    const errors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    await use(page);
    if (consoleErrors.length > 0) await testInfo.attach('console errors', { body: consoleErrors.join('\n') });
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
  shot: async ({ page }, use) => {
    mkdirSync(screenshotsDir, { recursive: true });
    await use(async (name) => {
      // Let the last event batch render and the caret stop blinking in the picture.
      await page.waitForTimeout(250);
      await page.screenshot({ path: join(screenshotsDir, `${name}.png`), caret: 'hide', animations: 'disabled' });
    });
  },
});

export { expect };

/** Opens the dashboard through its sign-in link (which sets the session cookie and drops the token). */
export async function openDashboard(page: Page, host: SwitchboardHost, hash = ''): Promise<void> {
  await page.goto(host.dashboardUrl);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  // The Node tsconfig has no DOM types: reach `location` through globalThis.
  if (hash)
    await page.evaluate(
      (h) => void ((globalThis as unknown as { location: { hash: string } }).location.hash = h),
      hash,
    );
}
