// Importing servers that take long, fail or are missing (issues 11 and 12): the preview checks each command where
// it would run; the import saves at once, starts everything together, and each row shows how its server is doing
// (installing with its progress, running, failed with the reason) while the dialog stays usable; one notice says
// what happened. The slow server is test/fixtures/slow-start.mjs, which serves only once the test opens its gate.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { repoRoot } from './helpers/paths.js';

const fixtures = join(repoRoot, 'test', 'fixtures');

test('import shows each command found or not, then each server installing, running or failed', async ({
  page,
  host,
  shot,
}) => {
  const gate = join(mkdtempSync(join(tmpdir(), 'switchboard-e2e-import-')), 'gate');
  const config = {
    mcpServers: {
      fast: { command: 'node', args: [join(fixtures, 'fixture-server.mjs')] },
      slow: { command: 'node', args: [join(fixtures, 'slow-start.mjs'), '--gate', gate, '--progress'] },
      fetch: { command: 'uvx-not-installed-here', args: ['mcp-server-fetch'] },
    },
  };
  await openDashboard(page, host);
  await page.getByRole('button', { name: 'Import from a client…' }).click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByLabel('Or paste a config').check();
  await dialog.getByLabel('Config text').fill(JSON.stringify(config, null, 2));
  await dialog.getByRole('button', { name: 'Preview' }).click();

  const row = (name: string) => dialog.locator(`tr[data-preview-row="${name}"]`);
  await test.step('the preview says where each command is, and does not tick one that is missing', async () => {
    await expect(row('fast').getByTestId('command-check')).toContainText(/found at \/.*node/);
    await expect(row('fetch').getByText('command not found')).toBeVisible();
    await expect(row('fetch').getByTestId('command-check')).toContainText('not found on PATH=');
    await expect(row('fetch').getByRole('checkbox')).not.toBeChecked();
    await shot('import-preview-checks');
    await row('fetch').getByRole('checkbox').check(); // import it anyway: it is saved, and fails with the reason
  });

  await test.step('import answers at once; each row follows its server', async () => {
    await dialog.getByRole('button', { name: 'Import 3 servers' }).click();
    const outcome = (name: string) => row(name).getByTestId('import-outcome');
    await expect(outcome('fast')).toHaveAttribute('data-state', 'running');
    await expect(outcome('fetch')).toHaveAttribute('data-state', 'failed');
    await expect(outcome('fetch')).toContainText('`uvx-not-installed-here` not found on PATH=');
    // Past the handshake timeout, the slow one is installing, with its progress on show.
    await expect(outcome('slow')).toHaveAttribute('data-state', 'installing', { timeout: 30_000 });
    await expect(outcome('slow')).toContainText('npm http fetch GET 200');
    await expect(page.getByTestId('notices')).toContainText(
      'Imported 3 servers: 1 running, 1 installing, 1 failed — see each row',
    );
    await shot('import-progress');
    writeFileSync(gate, '');
    await expect(outcome('slow')).toHaveAttribute('data-state', 'running');
    await dialog.locator('button.primary', { hasText: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator('tr[data-server="slow"] [data-state="running"]')).toBeVisible();
  });
});
