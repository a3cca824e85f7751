import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppHost, type HostOptions, type RunningHost } from '../../src/main/core/app/host-builder.js';
import type { ServerDefinitionInput } from '../../src/shared/server-definition.js';

export const demoServer = fileURLToPath(new URL('../../resources/demo-server.mjs', import.meta.url));

export function tempDir(prefix = 'switchboard-host-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A config file in the Claude Desktop format, in a temp folder. */
export function writeConfig(servers: Record<string, Omit<ServerDefinitionInput, 'name'>>, dir = tempDir()): string {
  const path = join(dir, 'servers.json');
  writeFileSync(path, JSON.stringify({ mcpServers: servers }));
  return path;
}

/** A full host (store, settings, engine, telemetry, AppService) on a free loopback port. */
export function startHost(options: Partial<HostOptions> & { dataDir: string }): Promise<RunningHost> {
  return startAppHost({
    host: 'web',
    env: {},
    flags: { port: 0 },
    enableTerminal: false,
    demo: { command: process.execPath, args: [demoServer] },
    ...options,
  });
}
