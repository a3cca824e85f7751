// AppService.exportConfig over a real host (store + engine): marked secrets stay out unless asked for, both for a
// server added in the dashboard and for one loaded from --config (marked there by the import preview's rule).
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/core/app/host-builder.js';
import { fixtureServer } from './helpers/engine.js';
import { startHost, tempDir, writeConfig } from './helpers/host.js';

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

describe('exporting from the registry', () => {
  it('leaves secret values out by default and writes them only with includeSecrets', async () => {
    const configPath = writeConfig({
      fromfile: {
        command: process.execPath,
        args: [fixtureServer],
        env: { MY_SECRET: 'file-secret-value' },
        autostart: false,
      },
    });
    host = await startHost({ dataDir: tempDir(), configPath });
    await host.api.addServer({
      name: 'added',
      command: process.execPath,
      args: [fixtureServer],
      env: { SERVICE_PASSWORD: 'dashboard-secret-value', REGION: 'eu' },
      secretEnvKeys: ['SERVICE_PASSWORD'],
      autostart: false,
    });

    const plain = await host.api.exportConfig('claude-desktop');
    expect(plain.text).not.toContain('file-secret-value');
    expect(plain.text).not.toContain('dashboard-secret-value');
    expect(plain.text).toContain('"MY_SECRET": "<set MY_SECRET>"');
    expect(plain.text).toContain('"SERVICE_PASSWORD": "<set SERVICE_PASSWORD>"');
    expect(plain.text).toContain('"REGION": "eu"');
    expect(plain.notes).toHaveLength(2);
    expect(plain.notes.join('\n')).toMatch(/fromfile: .*<set MY_SECRET>/);

    const vscode = await host.api.exportConfig('vscode', ['added']);
    expect(vscode.text).toContain('"SERVICE_PASSWORD": "${input:added-SERVICE_PASSWORD}"');
    expect(vscode.text).toMatch(
      /"id": "added-SERVICE_PASSWORD",\s+"description": "SERVICE_PASSWORD for added",\s+"password": true/,
    );

    const full = await host.api.exportConfig('cursor', undefined, { includeSecrets: true });
    expect(full.text).toContain('"MY_SECRET": "file-secret-value"');
    expect(full.text).toContain('"SERVICE_PASSWORD": "dashboard-secret-value"');
    expect(full.notes).toEqual([]);
    // Anything but an explicit true (as a page might send) keeps them out.
    const odd = await host.api.exportConfig('cursor', undefined, { includeSecrets: 'yes' } as never);
    expect(odd.text).not.toContain('dashboard-secret-value');
  });
});
