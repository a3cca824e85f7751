// Issue 14 in the browser: the Connect page finds the Claude Desktop config in the host's HOME, previews and
// writes "Add Switchboard" (moving one server in), and Undo puts the file back byte for byte; the Catalog page
// reads a local registry (recorded pages, cursor pagination) through the engine and "Add…" fills the server form.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { clientConfigFixture, repoRoot } from './helpers/paths.js';

const page1 = readFileSync(join(repoRoot, 'test', 'fixtures', 'catalog', 'registry-page-1.json'), 'utf8');
const page2 = readFileSync(join(repoRoot, 'test', 'fixtures', 'catalog', 'registry-page-2.json'), 'utf8');

let registry: Server;
let registryUrl: string;
test.beforeAll(async () => {
  registry = createServer((req, res) => {
    const cursor = new URL(req.url!, 'http://r').searchParams.get('cursor');
    res.writeHead(200, { 'content-type': 'application/json' }).end(cursor ? page2 : page1);
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => registry.close(resolve));
});

test('add Switchboard to Claude Desktop with a diff, move a server in, undo', async ({ page, host, shot }) => {
  const configPath = join(host.home, '.config', 'Claude', 'claude_desktop_config.json');
  const original = readFileSync(clientConfigFixture('claude_desktop_config.json'), 'utf8');
  await openDashboard(page, host);
  await page.getByRole('button', { name: 'Connect a client' }).click();
  const row = page.getByTestId('client-claude-desktop-user');
  await expect(row.locator('[data-setup-state]')).toHaveAttribute('data-setup-state', 'not-connected');
  await row.getByRole('button', { name: 'Add Switchboard…' }).click();
  await row.getByLabel('fetch').check();
  const diff = row.getByTestId('setup-diff');
  await expect(diff).toContainText('+     "switchboard": {');
  await expect(diff).toContainText('"connect"');
  await expect(diff).toContainText('-     "fetch": {');
  await shot('client-setup-preview');
  expect(readFileSync(configPath, 'utf8')).toBe(original); // the preview wrote nothing

  await row.getByRole('button', { name: 'Write it and move 1 server(s)' }).click();
  await expect(row.locator('[data-setup-state]')).toHaveAttribute('data-setup-state', 'connected');
  const written = JSON.parse(readFileSync(configPath, 'utf8'));
  expect(Object.keys(written.mcpServers)).toEqual([
    'filesystem',
    'memory',
    'github',
    'sqlite on windows',
    'switchboard',
  ]);
  expect(written.mcpServers.switchboard.args).toContain('connect');
  expect(written.globalShortcut).toBe('Ctrl+Space');
  const servers = await host.invoke<Array<{ definition: { name: string } }>>('listServers');
  expect(servers.map((s) => s.definition.name)).toContain('fetch');

  await row.getByRole('button', { name: 'Undo' }).click();
  await expect(row.locator('[data-setup-state]')).toHaveAttribute('data-setup-state', 'not-connected');
  expect(readFileSync(configPath, 'utf8')).toBe(original);
  const after = await host.invoke<Array<{ definition: { name: string } }>>('listServers');
  expect(after.map((s) => s.definition.name)).not.toContain('fetch');
});

test('the catalog lists a registry page by page, and Add fills the server form', async ({ page, host, shot }) => {
  await host.invoke('updateSettings', { registryUrl });
  await openDashboard(page, host);
  await page.getByRole('button', { name: 'Catalog' }).click();
  const entries = page.getByTestId('catalog-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.first().getByTestId('catalog-command')).toHaveText(
    'npx -y @example/weather-mcp@1.4.2 --units metric',
  );
  await expect(entries.first()).toContainText('WEATHER_API_KEY');
  await expect(entries.first()).toContainText('secret');
  await page.getByRole('button', { name: 'More' }).click();
  await expect(entries).toHaveCount(4);
  await expect(page.getByRole('button', { name: 'More' })).toHaveCount(0);
  await shot('catalog');

  await entries.first().getByRole('button', { name: 'Add…' }).click();
  const form = page.getByTestId('server-form');
  await expect(form.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue('weather');
  await expect(form.getByRole('textbox', { name: 'Command', exact: true })).toHaveValue('npx');
  await expect(form.getByRole('textbox', { name: 'Variable 1 name' })).toHaveValue('WEATHER_API_KEY');
  await expect(form.getByLabel('argument 2', { exact: true })).toHaveValue('@example/weather-mcp@1.4.2');
  // Nothing was added, let alone started, by opening the form.
  expect(await host.invoke<unknown[]>('listServers')).toEqual([]);

  await host.invoke('updateSettings', { registryUrl: 'http://127.0.0.1:9' });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('catalog-problem')).toHaveText(/^Offline: cannot reach http:\/\/127\.0\.0\.1:9/);
});
