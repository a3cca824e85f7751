// Issue 11 item 8 in Chromium against the real headless host: the Connect page exports the registry to a client's
// config with secret values left out, unless "Include secret values" is ticked.
import { join } from 'node:path';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { repoRoot } from './helpers/paths.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'fixture-server.mjs');
const secret = 'sk-exportSecretValue0123456789';

test.use({
  hostOptions: {
    servers: { vault: { command: process.execPath, args: [fixture], env: { MY_API_KEY: secret, REGION: 'eu' } } },
  },
});

test('export leaves secrets out unless asked', async ({ page, host }) => {
  await openDashboard(page, host, '#/connect');
  const panel = page.getByTestId('export-panel');
  await panel.getByLabel('Export for').selectOption('vscode');
  await panel.getByRole('button', { name: 'Export' }).click();
  const text = panel.getByTestId('export-text');
  await expect(text).toContainText('"MY_API_KEY": "${input:vault-MY_API_KEY}"');
  await expect(text).toContainText('"password": true');
  await expect(text).toContainText('"REGION": "eu"');
  await expect(text).not.toContainText(secret);
  await expect(panel.getByTestId('export-notes')).toContainText('VS Code asks for MY_API_KEY');

  await panel.getByLabel('Export for').selectOption('claude-desktop');
  await panel.getByRole('button', { name: 'Export' }).click();
  await expect(text).toContainText('"MY_API_KEY": "<set MY_API_KEY>"');
  await expect(panel.getByTestId('export-notes')).toContainText('replace "<set MY_API_KEY>"');

  await panel.getByLabel('Include secret values').check();
  await panel.getByRole('button', { name: 'Export' }).click();
  await expect(text).toContainText(`"MY_API_KEY": "${secret}"`);
  await expect(panel.getByTestId('export-notes')).toHaveCount(0);
});
