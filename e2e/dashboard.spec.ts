// The walkthrough of issue 6: a new user adds a real server through the form, starts it, calls a tool, finds the
// call in the traffic view, reads its stderr, stops it; and imports a Claude Desktop config with nothing spawned.
// Run: npm run test:e2e (screenshots in test-results/screenshots); npm run screenshots refreshes docs/screenshots.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { clientConfigFixture, everythingEntry } from './helpers/paths.js';

test('a new user adds server-everything, calls echo, finds it in traffic and logs, stops it', async ({
  page,
  host,
  shot,
}) => {
  await openDashboard(page, host);

  await test.step('first run offers import, the demo server and the form', async () => {
    const firstRun = page.getByTestId('first-run');
    await expect(firstRun).toBeVisible();
    await expect(firstRun.getByText('Claude Desktop', { exact: true })).toBeVisible();
    await expect(firstRun.getByRole('button', { name: 'Add the demo server' })).toBeVisible();
    await shot('first-run');
  });

  await test.step('add it through the form, which validates as you type', async () => {
    await page.getByRole('button', { name: 'Add server' }).click();
    const form = page.getByTestId('server-form');
    await expect(form).toBeVisible();
    await form.getByLabel('Name').fill('every thing');
    await expect(form.getByText('may only contain letters')).toBeVisible();
    await form.getByLabel('Name').fill('everything');
    await expect(form.getByText('may only contain letters')).toHaveCount(0);
    await form.getByLabel('Command').fill('node');
    await form.getByRole('button', { name: 'Add argument' }).click();
    await form.getByLabel('argument 1', { exact: true }).fill(everythingEntry);
    await form.getByRole('button', { name: 'Add argument' }).click();
    await form.getByLabel('argument 2', { exact: true }).fill('stdio');
    await shot('add-server-form');
    await form.getByRole('button', { name: 'Add server' }).click();
    await expect(form).toHaveCount(0);
  });

  const row = page.locator('tr[data-server="everything"]');
  await test.step('start it and see it running', async () => {
    await expect(row).toBeVisible();
    // With autostart on, the engine may start it on its own: wait until it settles, then press Start if needed.
    const state = row.locator('[data-state]');
    await expect(state).toHaveAttribute('data-state', /^(stopped|running|failed)$/, { timeout: 30_000 });
    if ((await state.getAttribute('data-state')) !== 'running')
      await row.getByRole('button', { name: 'Start' }).click();
    await expect(row.locator('[data-state="running"]')).toBeVisible({ timeout: 30_000 });
    await shot('servers');
  });

  await test.step('open it from the keyboard and call echo from the explorer', async () => {
    await row.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'everything', level: 1 })).toBeVisible();
    await page.getByRole('tab', { name: 'Explorer' }).click();
    await page.getByRole('button', { name: 'echo', exact: true }).click();
    const form = page.locator('form[data-tool="echo"]');
    await form.getByLabel('message').fill('hello from Playwright <b>not bold</b>');
    await form.getByRole('button', { name: 'Call echo' }).click();
    const result = form.getByTestId('call-result');
    await expect(result).toHaveAttribute('data-status', 'tool');
    // The HTML in the answer is shown as text, never rendered (RELIABILITY U1).
    await expect(result.getByText('Echo: hello from Playwright <b>not bold</b>')).toBeVisible();
    await expect(result.locator('b')).toHaveCount(0);
    await expect(result.getByTestId('call-latency')).toContainText('ms');
    await shot('explorer');
  });

  await test.step('find the call in the traffic view with its latency', async () => {
    await page.getByRole('tab', { name: 'Traffic' }).click();
    await page.getByLabel('Filter method').fill('tools/call');
    const list = page.getByTestId('traffic-list');
    const call = list.getByRole('option').filter({ hasText: 'tools/call' }).last();
    await expect(call).toBeVisible();
    await expect(call.getByTestId('latency')).toHaveText(/\d.* (ms|s)$/);
    await call.click();
    const detail = page.getByTestId('traffic-detail');
    await expect(detail.getByTestId('detail-latency')).toContainText('ms');
    await expect(detail.getByText('hello from Playwright', { exact: false }).first()).toBeVisible();
    await shot('traffic');
    // Both themes follow the system setting.
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('traffic-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('see its stderr in the logs', async () => {
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByLabel('stderr only').check();
    const list = page.getByTestId('log-list');
    await expect(list.getByRole('option').first()).toBeVisible();
    await expect(list).toContainText('stderr');
    await shot('logs');
  });

  await test.step('the terminal says how to turn it on in the web host', async () => {
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await expect(page.getByTestId('terminal-disabled')).toContainText('switchboard serve --enable-terminal');
  });

  await test.step('stop it', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(page.locator('.detail-header [data-state="stopped"]')).toBeVisible({ timeout: 20_000 });
  });

  await test.step('connect, metrics and settings pages render with real data', async () => {
    await page.getByRole('button', { name: 'Connect a client' }).click();
    await expect(page.getByTestId('snippet-cursor')).toContainText('"Authorization": "Bearer');
    await page.getByRole('tab', { name: 'Claude Desktop' }).click();
    await expect(page.getByTestId('snippet-claude-desktop')).toContainText('"connect"');
    await shot('connect');
    await page.getByRole('button', { name: 'Metrics' }).click();
    await expect(page.getByRole('heading', { name: 'Metrics' })).toBeVisible();
    await shot('metrics');
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('token')).toBeVisible();
    await expect(page.getByTestId('token')).not.toContainText(host.token);
    await shot('settings');
  });
});

test('importing a Claude Desktop config shows every command in full and spawns nothing', async ({
  page,
  host,
  shot,
}) => {
  const fixture = JSON.parse(readFileSync(clientConfigFixture('claude_desktop_config.json'), 'utf8')) as {
    mcpServers: Record<string, { args: string[] }>;
  };
  await openDashboard(page, host);
  await page.getByRole('button', { name: 'Import from a client…' }).click();
  const dialog = page.getByTestId('import-dialog');
  // The config in the test's HOME is found and chosen first.
  await expect(dialog.getByText('claude_desktop_config.json')).toBeVisible();
  await dialog.getByRole('button', { name: 'Preview' }).click();

  const lines = dialog.getByTestId('command-line');
  await expect(lines.first()).toBeVisible();
  await expect(
    dialog.getByText('npx -y @modelcontextprotocol/server-filesystem /Users/alice/Desktop /Users/alice/Downloads', {
      exact: true,
    }),
  ).toBeVisible();
  for (const entry of Object.values(fixture.mcpServers)) {
    // Every argument is on screen, none cut short.
    for (const arg of entry.args.filter((a) => !a.startsWith('ghp_'))) await expect(dialog).toContainText(arg);
  }
  await expect(dialog).not.toContainText('ghp_example');
  await shot('import-preview');

  // Nothing ran and nothing was saved before the user confirms.
  expect(await host.invoke<unknown[]>('listServers')).toEqual([]);
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  expect(processes).not.toMatch(/server-filesystem|mcp-server-fetch|github-mcp-server/);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // A pasted config is previewed the same way, and only "Import" saves it.
  await page.getByRole('button', { name: 'Import from a client…' }).click();
  await dialog.getByLabel('Or paste a config').check();
  const pasted = { mcpServers: { 'local everything': { command: 'node', args: [everythingEntry, 'stdio'] } } };
  await dialog.getByLabel('Config text').fill(JSON.stringify(pasted, null, 2));
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByTestId('command-line')).toHaveText(`node ${everythingEntry} stdio`);
  await expect(dialog.getByText('saved as local-everything')).toBeVisible();
  await dialog.getByRole('button', { name: 'Import 1 server' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('tr[data-server="local-everything"]')).toBeVisible();
  expect(
    (await host.invoke<Array<{ definition: { name: string } }>>('listServers')).map((s) => s.definition.name),
  ).toEqual(['local-everything']);
});
