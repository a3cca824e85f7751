// Issue 12, items 1 and 2 in Chromium against the real headless host: the add form splits a pasted command line,
// explains shell syntax with an explicit way out, and checks the name and the command as the user types; Traffic
// shows an isError tool result as a failure and closes a request whose child was killed; the page says when the
// host is gone.
import { expect, openDashboard, test } from './helpers/fixtures.js';
import { everythingEntry } from './helpers/paths.js';

for (const viewport of [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
]) {
  test.describe(`live state at ${viewport.width}×${viewport.height}`, () => {
    test.use({
      viewport,
      hostOptions: { servers: { everything: { command: process.execPath, args: [everythingEntry, 'stdio'] } } },
    });
    const suffix = viewport.width === 1024 ? '-1024' : '';

    test('the add form, honest traffic and a lost connection', async ({ page, host, shot }) => {
      test.setTimeout(240_000);
      await openDashboard(page, host, '#/servers');
      await expect(page.locator('tr[data-server="everything"] [data-state="running"]')).toBeVisible({
        timeout: 30_000,
      });

      await test.step('the add form understands a pasted command line and checks as you type', async () => {
        await page.getByRole('button', { name: 'Add server' }).first().click();
        const form = page.getByTestId('server-form');
        await form.getByLabel('Name').fill('everything');
        await expect(form.getByText('A server named "everything" already exists.')).toBeVisible();
        await form.getByLabel('Name').fill('everything-2');
        await expect(form.getByText('already exists')).toHaveCount(0);
        const command = form.getByLabel('Command');
        await command.evaluate((el, line) => {
          // The Node tsconfig has no DOM types: the page's constructors are reached through globalThis.
          const page = globalThis as unknown as {
            DataTransfer: new () => { setData(type: string, value: string): void };
            ClipboardEvent: new (type: string, init: Record<string, unknown>) => unknown;
          };
          const data = new page.DataTransfer();
          data.setData('text/plain', line);
          const paste = new page.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
          (el as unknown as { dispatchEvent(event: unknown): boolean }).dispatchEvent(paste);
        }, `npx -y '@modelcontextprotocol/server-everything'`);
        await expect(command).toHaveValue('npx');
        await expect(form.getByLabel('argument 1', { exact: true })).toHaveValue('-y');
        await expect(form.getByLabel('argument 2', { exact: true })).toHaveValue(
          '@modelcontextprotocol/server-everything',
        );
        await expect(form.getByTestId('command-found')).toContainText('/npx');

        await command.fill('no-such-command-xyz');
        await expect(form.getByTestId('command-missing')).toContainText('not found on PATH=');

        await command.fill('cd /tmp && node server.js | tee log');
        const shell = form.getByTestId('shell-syntax');
        await expect(shell).toContainText('Switchboard runs no shell');
        await shot(`add-form-shell${suffix}`);
        await shell.getByRole('button', { name: /Run through a shell/ }).click();
        await expect(command).toHaveValue('sh');
        await expect(form.getByLabel('argument 1', { exact: true })).toHaveValue('-c');
        await expect(form.getByLabel('argument 2', { exact: true })).toHaveValue('cd /tmp && node server.js | tee log');
        await form.getByRole('button', { name: 'Cancel' }).click();
        await expect(form).toHaveCount(0);
      });

      await test.step('a tool result with isError shows as a failure in Traffic', async () => {
        // echo without its required argument: the server answers with a result flagged isError.
        await host.invoke('callTool', 'everything', 'echo', {});
        await openDashboard(page, host, '#/servers/everything/traffic');
        await page.getByLabel('Filter method').fill('tools/call');
        const row = page.getByTestId('traffic-list').getByRole('option').filter({ hasText: 'tools/call' }).last();
        await expect(row.getByTestId('status')).toHaveText('failed');
        await row.click();
        const detail = page.getByTestId('traffic-detail');
        await expect(detail.getByText('tool error (isError)')).toBeVisible();
        await expect(detail.getByTestId('detail-ids')).toContainText('client id');
      });

      await test.step('a request in flight when its child is killed is closed, not pending forever', async () => {
        const call = host
          .invoke('callTool', 'everything', 'trigger-long-running-operation', { duration: 60, steps: 60 }, 'e2e-long')
          .catch((e: Error) => e);
        const list = page.getByTestId('traffic-list');
        const row = list.getByRole('option').filter({ hasText: 'tools/call' }).last();
        await expect(row.getByTestId('status')).toHaveText('pending');
        const [view] = await host.invoke<Array<{ status: { pid: number | null } }>>('listServers');
        process.kill(view!.status.pid!, 'SIGKILL');
        expect(String(await call)).toMatch(/in flight|exited|signal/);
        await expect(row.getByTestId('status')).toHaveText('exited');
        await row.click();
        await expect(page.getByTestId('closed-reason')).toContainText('-32000');
        await shot(`traffic-exited${suffix}`);
      });

      await test.step('when the host goes away the page says so', async () => {
        await host.stop();
        await expect(page.getByTestId('connection-banner')).toContainText('Connection lost — reconnecting…');
        await shot(`connection-lost${suffix}`);
      });
    });
  });
}
