import { fileURLToPath } from 'node:url';
import { Engine, defaultEngineOptions, type EngineOptions, type ServerInput } from '../../src/main/core/engine.js';
import type { ServerDefinitionInput } from '../../src/shared/server-definition.js';
import { createLogger, type LogRecord } from '../../src/main/core/util/logger.js';

export const fixtureServer = fileURLToPath(new URL('../fixtures/fixture-server.mjs', import.meta.url));
export const everythingServer = fileURLToPath(
  new URL('../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url),
);
export const memoryServer = fileURLToPath(
  new URL('../../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url),
);

export const TOKEN = 'test-token-0123456789';

/** A server spec running the fixture server with `node`, with extra fixture flags. */
export function fixture(
  name = 'fixture',
  flags: string[] = [],
  extra: Partial<ServerDefinitionInput> = {},
): ServerDefinitionInput {
  return { name, command: process.execPath, args: [fixtureServer, '--name', name, ...flags], env: {}, ...extra };
}

export interface TestEngine {
  engine: Engine;
  url: string;
  logs: LogRecord[];
  stop(): Promise<void>;
}

/** Starts a real engine on a free loopback port; the logs it wrote are kept for assertions. */
export async function startTestEngine(
  servers: ServerInput[],
  overrides: Partial<EngineOptions> = {},
): Promise<TestEngine> {
  const logs: LogRecord[] = [];
  const engine = new Engine({
    ...defaultEngineOptions,
    port: 0,
    token: TOKEN,
    servers,
    logger: createLogger('debug', (r) => logs.push(r)),
    ...overrides,
  });
  await engine.start();
  return { engine, url: engine.url, logs, stop: () => engine.stop() };
}

export const authHeaders = { authorization: `Bearer ${TOKEN}` };
