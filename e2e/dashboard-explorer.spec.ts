// The explorer as a full MCP client (issue 12, item 3), in Chromium against the real headless host, at the two
// widths the issue names: it lists only what a server advertises, answers a sampling and an elicitation request
// from the page, shows progress of a long call and cancels it, and fills an array-of-objects form.
// (Named dashboard-*.spec.ts so playwright.config.ts's testMatch picks it up without an edit.)
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { everythingEntry, repoRoot } from './helpers/paths.js';

const memoryEntry = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');

const viewports = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
];

for (const viewport of viewports) {
  test.describe(`explorer at ${viewport.width}×${viewport.height}`, () => {
    test.use({
      viewport,
      hostOptions: {
        servers: {
          everything: { command: process.execPath, args: [everythingEntry, 'stdio'] },
          memory: {
            command: process.execPath,
            args: [memoryEntry],
            env: { MEMORY_FILE_PATH: join(tmpdir(), `switchboard-e2e-memory-${randomUUID()}.jsonl`) },
          },
        },
      },
    });
    const suffix = viewport.width === 1024 ? '-1024' : '';

    test('answers sampling and elicitation, cancels a long call, fills an array of objects', async ({
      page,
      host,
      shot,
    }) => {
      test.setTimeout(300_000); // two servers, a sampling, an elicitation and a long call on two cores
      await openDashboard(page, host, '#/servers/everything/explorer');
      const tool = (name: string) => page.getByRole('button', { name, exact: true });

      await test.step('a sampling request is shown and answered with a reply written in the page', async () => {
        await tool('trigger-sampling-request').click({ timeout: 30_000 });
        const form = page.locator('form[data-tool="trigger-sampling-request"]');
        await form.getByLabel(/^prompt/).fill('What is a switchboard?');
        await form.getByRole('button', { name: 'Call trigger-sampling-request' }).click();
        const question = page.getByTestId('sampling-request');
        await expect(question).toBeVisible();
        await expect(question.getByText('You are a helpful test server.')).toBeVisible();
        await expect(question.getByText(/What is a switchboard\?/)).toBeVisible();
        await expect(question.getByText('max tokens:')).toBeVisible();
        await question.getByLabel('Your reply, as the assistant').fill('A panel that connects calls.');
        await shot(`explorer-sampling${suffix}`);
        await question.getByRole('button', { name: 'Send reply' }).click();
        await expect(question).toHaveCount(0);
        const result = form.getByTestId('call-result');
        await expect(result).toHaveAttribute('data-status', 'tool');
        await expect(result).toContainText('A panel that connects calls.');
      });

      await test.step('an elicitation request becomes a form; Accept is validated against its schema', async () => {
        await tool('trigger-elicitation-request').click();
        const form = page.locator('form[data-tool="trigger-elicitation-request"]');
        await form.getByRole('button', { name: 'Call trigger-elicitation-request' }).click();
        const question = page.getByTestId('elicitation-request');
        await expect(question).toBeVisible();
        await question.getByRole('button', { name: 'Accept' }).click();
        await expect(question.getByText('required').first()).toBeVisible(); // name is required
        await question
          .getByLabel(/^String\s/)
          .first()
          .fill('Ada Lovelace');
        await shot(`explorer-elicitation${suffix}`);
        await question.getByRole('button', { name: 'Accept' }).click();
        await expect(question).toHaveCount(0);
        await expect(form.getByTestId('call-result')).toContainText('Ada Lovelace');
      });

      await test.step('a long call shows progress and Cancel stops it', async () => {
        await tool('trigger-long-running-operation').click();
        const form = page.locator('form[data-tool="trigger-long-running-operation"]');
        await form.getByLabel(/^duration/).fill('60');
        await form.getByLabel(/^steps/).fill('60');
        await form.getByRole('button', { name: 'Call trigger-long-running-operation' }).click();
        const progress = form.getByTestId('call-progress');
        await expect(progress).toContainText(/\d+ of 60/);
        await shot(`explorer-progress${suffix}`);
        await progress.getByRole('button', { name: 'Cancel' }).click();
        const result = form.getByTestId('call-result');
        await expect(result).toHaveAttribute('data-status', 'error');
        await expect(result).toContainText('Cancelled');
      });

      await test.step('a prompt result is shown as messages, with their roles', async () => {
        await tool('simple-prompt').click();
        await page.getByRole('button', { name: 'Get prompt' }).click();
        const messages = page.getByTestId('call-result').getByTestId('messages');
        await expect(messages.locator('.message[data-role="user"]')).toContainText(
          'This is a simple prompt without arguments.',
        );
      });

      await test.step('a server without prompts is not asked for them', async () => {
        await openDashboard(page, host, '#/servers/memory/explorer');
        await expect(tool('create_entities')).toBeVisible({ timeout: 30_000 });
        await expect(page.getByText('The server does not offer prompts.')).toBeVisible();
        const asked = await host.invoke<Array<{ method?: string }>>('queryTraffic', { server: 'memory' });
        const methods = asked.map((f) => f.method);
        expect(methods).toContain('tools/list');
        expect(methods).not.toContain('prompts/list');
      });

      await test.step('an array of objects gets add/remove and per-item validation', async () => {
        await tool('create_entities').click();
        const form = page.locator('form[data-tool="create_entities"]');
        const add = form.getByRole('button', { name: 'Add entities item' });
        await add.click();
        await add.click();
        await form.getByRole('button', { name: 'Remove entities 2' }).click();
        await form.getByRole('button', { name: 'Call create_entities' }).click();
        await expect(form.getByText('required').first()).toBeVisible();
        const item = form.locator('[data-path="entities"] .schema-item').first();
        await item.getByLabel(/^name/).fill('Ada');
        await item.getByLabel(/^entityType/).fill('person');
        await item.getByRole('button', { name: 'Add observations item' }).click();
        await item.getByLabel(/^observations 1/).fill('wrote the first program');
        await shot(`explorer-array-form${suffix}`);
        await form.getByRole('button', { name: 'Call create_entities' }).click();
        const result = form.getByTestId('call-result');
        await expect(result).toHaveAttribute('data-status', 'tool');
        await expect(result).toContainText('wrote the first program');
      });

      await test.step('the page never scrolls sideways', async () => {
        const width = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
              .documentElement.scrollWidth,
        );
        expect(width).toBeLessThanOrEqual(viewport.width);
      });
    });
  });
}
