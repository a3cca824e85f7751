// Layouts that fit and words that are accurate (issue 12 items 4 and 5), in Chromium at 1024×700 and 1440×900
// against the real headless host with ten servers: a running SDK server, a flooding one, one that fails with a
// long PATH error, one that crashes with stderr, and fixtures. Run: npm run test:e2e (or npx playwright test
// e2e/layout.spec.ts); screenshots go to test-results/screenshots, or docs/screenshots with UPDATE_SCREENSHOTS=1.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { McpLoadClient } from './helpers/mcp-load.js';
import { everythingEntry, repoRoot } from './helpers/paths.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'fixture-server.mjs');
const longPath = Array.from({ length: 12 }, (_, i) => `/opt/toolchains/very-long-directory-name-${i}/bin`).join(':');
const crashScript = "console.error('boom: cannot open /var/lib/example/db.sqlite (EACCES)'); process.exit(3)";

const servers: Record<string, unknown> = {
  everything: { command: 'node', args: [everythingEntry, 'stdio'] },
  flood: { command: 'node', args: [fixture, '--name', 'flood'] },
  missing: { command: 'definitely-not-installed-mcp', args: ['--stdio'], env: { PATH: longPath } },
  crashing: { command: 'node', args: ['-e', crashScript] },
};
for (let i = 1; i <= 6; i++) servers[`fixture-${i}`] = { command: 'node', args: [fixture, '--name', `fixture-${i}`] };

test.use({ hostOptions: { servers } });

/** The page never scrolls sideways: the document is no wider than the window. */
async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  )) as { scrollWidth: number; innerWidth: number };
  expect(scrollWidth, `page width at ${where}`).toBeLessThanOrEqual(innerWidth);
  // The main area must not hide a sideways scroll of its own either.
  const content = (await page.evaluate(
    '(() => { const c = document.querySelector("main.content"); return { sw: c.scrollWidth, cw: c.clientWidth }; })()',
  )) as { sw: number; cw: number };
  expect(content.sw, `content width at ${where}`).toBeLessThanOrEqual(content.cw);
}

for (const viewport of [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('the lists fit, rows keep one height, actions sit in a menu, words and units are right', async ({
      page,
      host,
      shot,
    }) => {
      test.setTimeout(150_000);
      await openDashboard(page, host);
      const rows = page.locator('tr.server-row');
      await expect(rows).toHaveCount(10);
      // Settled: the crashing one fails for good or waits to retry; the one with no command fails at once.
      await expect(page.locator('tr[data-server="missing"] [data-state]')).toHaveAttribute('data-state', 'failed', {
        timeout: 30_000,
      });
      await expect(page.locator('tr[data-server="everything"] [data-state="running"]')).toBeVisible({
        timeout: 30_000,
      });

      await test.step('servers list: no sideways scroll, one row height, stable alphabetical order', async () => {
        await expectNoHorizontalScroll(page, 'servers');
        const heights = await rows.evaluateAll((trs) => trs.map((tr) => Math.round(tr.getBoundingClientRect().height)));
        expect(new Set(heights).size, `row heights ${heights.join(', ')}`).toBe(1);
        expect(heights[0]!).toBeLessThanOrEqual(64);
        const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-server')));
        expect(order).toEqual([
          'crashing',
          'everything',
          'fixture-1',
          'fixture-2',
          'fixture-3',
          'fixture-4',
          'fixture-5',
          'fixture-6',
          'flood',
          'missing',
        ]);
        await shot(`layout-servers-${viewport.width}`);
      });

      await test.step('a long error is one line with an expander; the numbers beside it keep their place', async () => {
        const missing = page.locator('tr[data-server="missing"]');
        const reason = missing.getByTestId('state-reason');
        await expect(reason).toContainText('definitely-not-installed-mcp');
        const clipped = await reason.evaluate((el) => el.scrollWidth > el.clientWidth);
        expect(clipped, 'the PATH error is truncated').toBe(true);
        const [reasonBox, uptimeBox] = await Promise.all([
          reason.boundingBox(),
          missing.locator('td').nth(2).boundingBox(),
        ]);
        expect(reasonBox!.x + reasonBox!.width).toBeLessThanOrEqual(uptimeBox!.x + 1);
        await missing.getByRole('button', { name: 'more', exact: true }).click();
        const full = page.getByTestId('state-reason-full');
        await expect(full).toContainText('very-long-directory-name-11');
        await expectNoHorizontalScroll(page, 'expanded error');
        await missing.getByRole('button', { name: 'less', exact: true }).click();
        await expect(full).toHaveCount(0);
      });

      await test.step('one primary action and a ⋯ menu with only the actions that apply', async () => {
        const running = page.locator('tr[data-server="everything"]');
        await expect(running.getByRole('button')).toHaveCount(2);
        await expect(running.getByRole('button', { name: 'Stop', exact: true })).toBeVisible();
        await running.getByRole('button', { name: 'More actions for everything' }).click();
        const menu = page.getByRole('menu', { name: 'More actions for everything' });
        await expect(menu.getByRole('menuitem')).toHaveText(['Restart', 'Edit…', 'Remove…']);
        const box = await menu.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
        await shot(`layout-menu-${viewport.width}`);
        await page.keyboard.press('Escape');
        await expect(menu).toHaveCount(0);

        const failed = page.locator('tr[data-server="missing"]');
        await expect(failed.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
        await failed.getByRole('button', { name: 'More actions for missing' }).click();
        const failedMenu = page.getByRole('menu', { name: 'More actions for missing' });
        await expect(failedMenu.getByRole('menuitem')).toHaveText(['Edit…', 'Remove…']);
        await failedMenu.getByRole('menuitem', { name: 'Edit…' }).click();
        await expect(page.getByTestId('server-form')).toBeVisible();
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('server-form')).toHaveCount(0);
      });

      await test.step('units are human: memory in kB or MB, never raw bytes', async () => {
        const memory = page.locator('tr[data-server="everything"] td').nth(7);
        await expect(memory).toHaveText(/^\d+(\.\d)? (kB|MB|GB)$/, { timeout: 15_000 });
      });

      await test.step('a failed server shows its last stderr lines, not "No lines yet"', async () => {
        await page.locator('tr[data-server="crashing"]').click();
        await expect(page.getByRole('heading', { name: 'crashing', level: 1 })).toBeVisible();
        await expect(page.getByText('boom: cannot open /var/lib/example/db.sqlite').first()).toBeVisible({
          timeout: 30_000,
        });
        await expect(page.getByText('No lines yet')).toHaveCount(0);
        // Only what applies: a crashed server offers Start, never Start and Restart together.
        const header = page.locator('.detail-header .page-header');
        await expect(header.locator('[data-state]')).toHaveAttribute('data-state', /^(failed|backoff)$/);
        if ((await header.locator('[data-state]').getAttribute('data-state')) === 'failed') {
          await expect(header.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
          await expect(header.getByRole('button', { name: 'Restart' })).toHaveCount(0);
        }
        await expectNoHorizontalScroll(page, 'crashing logs');
      });

      await test.step('grammar: "1 error", and sessions that drop when the client leaves', async () => {
        const client = new McpLoadClient(`${host.baseUrl}/servers/fixture-1/mcp`, host.token);
        await client.initialize('layout-spec');
        await client.callTool('no-such-tool', {}).catch(() => undefined);
        await page.evaluate('location.hash = "#/servers/fixture-1/logs"');
        await expect(page.getByTestId('detail-errors')).toHaveText('1 error', { timeout: 15_000 });
        await expect(page.getByTestId('detail-sessions')).toHaveText('1 client session', { timeout: 15_000 });
        await client.close();
        await expect(page.getByTestId('detail-sessions')).toHaveText('0 client sessions', { timeout: 15_000 });
        await expect(page.getByTestId('sharing')).toHaveText(/^Auto: shared so far$|^sharing: /);
      });

      await test.step('traffic: the split view keeps the Method column', async () => {
        await page.evaluate('location.hash = "#/servers/everything/traffic"');
        const client = new McpLoadClient(`${host.baseUrl}/servers/everything/mcp`, host.token);
        await client.initialize('layout-spec');
        await client.callTool('echo', { message: 'hi' });
        await client.close();
        const call = page.getByTestId('traffic-list').getByRole('option').filter({ hasText: 'tools/call' }).last();
        await call.click();
        await expect(page.getByTestId('traffic-detail')).toBeVisible();
        const method = call.locator('.col-method');
        await expect(method).toBeVisible();
        expect((await method.boundingBox())!.width).toBeGreaterThan(60);
        await expectNoHorizontalScroll(page, 'traffic split');
        await shot(`layout-traffic-${viewport.width}`);
      });

      await test.step('settings: flags disable their field with the source; no desktop-only option on the web', async () => {
        await page.getByRole('button', { name: 'Settings' }).click();
        const port = page.getByLabel('Port', { exact: true });
        await expect(port).toBeDisabled();
        await expect(page.getByText('set by --port').first()).toBeVisible();
        await expect(page.getByText('Start Switchboard when I log in')).toHaveCount(0);
        await expect(
          page.getByText(/A server's message larger than this fails only its own request\. \(\d+(\.\d)? (kB|MB)\)/),
        ).toBeVisible();
        await expect(page.getByText(/cancel it\. \(\d+(\.\d)? (s|min)\)/)).toBeVisible();
        await expectNoHorizontalScroll(page, 'settings');
      });

      await test.step('every other page fits too', async () => {
        for (const name of ['Connect a client', 'Metrics']) {
          await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
          await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
          await expectNoHorizontalScroll(page, name);
        }
      });

      await test.step('notices go by themselves and never cover the page', async () => {
        await page.getByRole('button', { name: 'Servers' }).first().click();
        // A config file that no longer parses is a warning notice (the watcher keeps the last good servers).
        await writeFile(join(host.home, '..', 'servers.json'), '{ "mcpServers": { broken');
        const notice = page.getByTestId('notices').locator('.notice').first();
        await expect(notice).toBeVisible({ timeout: 15_000 });
        const [noticeBox, contentBox] = await Promise.all([
          notice.boundingBox(),
          page.locator('main.content').boundingBox(),
        ]);
        expect(noticeBox!.y + noticeBox!.height, 'the notice ends above the page').toBeLessThanOrEqual(
          contentBox!.y + 1,
        );
        await expectNoHorizontalScroll(page, 'with a notice');
        await shot(`layout-notice-${viewport.width}`);
        await expect(notice).toHaveCount(0, { timeout: 20_000 });
      });
    });
  });
}
