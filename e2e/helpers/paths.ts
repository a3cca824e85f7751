import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the walkthrough's screenshots go: docs/screenshots (shown in the README) with UPDATE_SCREENSHOTS=1
 * (`npm run screenshots`), else test-results/screenshots, so a test run never rewrites tracked files.
 */
export const screenshotsDir =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(repoRoot, 'docs', 'screenshots')
    : join(repoRoot, 'test-results', 'screenshots');

/** Chromium's flags for every browser spec: no GPU or sandbox in containers, and no traffic of its own. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** server-everything's stdio entry, run with `node` as the walkthrough's user would type it. */
export const everythingEntry = join(
  repoRoot,
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
);

/** The client-config samples under test/fixtures: specs never read outside the checkout. */
export function clientConfigFixture(name: string): string {
  const path = join(repoRoot, 'test', 'fixtures', 'client-configs', name);
  if (!existsSync(path)) throw new Error(`client config fixture ${name} not found at ${path}`);
  return path;
}
