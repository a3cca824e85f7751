// The gateway's own variables never reach a child (issue 11 item 8), even with --pass-environment: a real child,
// started by the real CLI, reports the environment it got.
import { afterEach, describe, expect, it } from 'vitest';
import { connectAt, spawnCli, stopAllClis } from './helpers/cli.js';
import { fixtureServer } from './helpers/engine.js';

afterEach(stopAllClis);

describe('a child started with --pass-environment', () => {
  it('gets the parent environment without API_ACCESS_TOKEN, TRANSPORT_* or SWITCHBOARD_*', async () => {
    const token = 'gateway-token-never-for-children-0123';
    const cli = spawnCli(
      ['run', '--pass-environment', '--port', '0', '--name', 'fx', '--', process.execPath, fixtureServer],
      {
        API_ACCESS_TOKEN: token,
        TRANSPORT_LOG_LEVEL: 'info',
        TRANSPORT_MAX_PROCESSES: '5',
        SWITCHBOARD_ENABLE_TERMINAL: '1',
        PASSED_THROUGH: 'yes',
      },
    );
    // Generous: a loaded machine starts the CLI slowly (tsx compiles it).
    const [, url] = await cli.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/, 60_000);
    const client = await connectAt(`${url}/servers/fx/mcp`, 'streamable', token);
    try {
      const result = (await client.callTool({ name: 'env', arguments: {} })) as { content: Array<{ text: string }> };
      const env = JSON.parse(result.content[0]!.text) as Record<string, string>;
      expect(env.PASSED_THROUGH).toBe('yes'); // the whole environment was passed...
      const leaked = Object.keys(env).filter((k) => /^(API_ACCESS_TOKEN$|TRANSPORT_|SWITCHBOARD_)/i.test(k));
      expect(leaked).toEqual([]); // ...except the gateway's own settings
      expect(Object.values(env)).not.toContain(token);
    } finally {
      await client.close();
    }
    expect((await cli.stop('SIGTERM', 30_000)).code).toBe(0);
  }, 90_000);
});
