// The browser half of `npm test`: the dashboard walkthrough in Chromium against the real headless host.
// Without a Chromium it says so in one line and skips (on a developer's machine); in CI a missing browser fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browser = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(browser)) {
  const line = `Browser suite skipped: no Chromium at ${browser} (apt-get install chromium, or set CHROMIUM_PATH).`;
  console.log(line);
  process.exit(process.env.CI ? 1 : 0);
}
const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const result = spawnSync(
  process.execPath,
  [
    cli,
    'test',
    'e2e/dashboard.spec.ts',
    'e2e/dashboard-explorer.spec.ts',
    'e2e/dashboard-live-state.spec.ts',
    'e2e/layout.spec.ts',
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CHROMIUM_PATH: browser },
  },
);
process.exit(result.status ?? 1);
