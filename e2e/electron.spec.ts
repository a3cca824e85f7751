// Launches the built desktop app (out/) through Playwright's Electron driver and checks that its window opens.
// Run with: npx electron-vite build && node --import tsx --test e2e/electron.spec.ts
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { findElectron } from '../scripts/electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electron = findElectron();

// node:test prints the skip reason on the test's own line, so a machine without Electron gets one line saying why.
test(
  'the desktop window opens titled "MCP Switchboard"',
  { skip: electron.ok ? false : electron.message },
  async () => {
    if (!electron.ok) return;
    // A fresh profile keeps the test away from the user's servers, settings and single-instance lock.
    const userData = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
    const args = [root, `--user-data-dir=${userData}`];
    // Chromium refuses to start as root (CI containers) unless its OS-level sandbox is off.
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    const app = await _electron.launch({ executablePath: electron.value, args, cwd: root });
    try {
      const window = await app.firstWindow();
      await window.waitForLoadState('domcontentloaded');
      assert.equal(await window.title(), 'MCP Switchboard');
    } finally {
      await app.close();
      await rm(userData, { recursive: true, force: true });
    }
  },
);
