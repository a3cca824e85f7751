import { describe, expect, it } from 'vitest';
import {
  describeSource,
  resolveSettings,
  restartsNeeded,
  settingDefinitions,
  settingsNeedingRestart,
  SettingsError,
} from '../src/main/core/config/settings.js';

function errorOf(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error('expected a SettingsError');
}

describe('settings', () => {
  it('has the documented defaults, all from the default layer', () => {
    const { settings, sources } = resolveSettings();
    expect(settings).toEqual({
      port: 8808,
      host: '127.0.0.1',
      logLevel: 'info',
      allowedOrigins: [],
      token: null,
      passEnvironment: false,
      maxProcesses: 10,
      connectionTimeoutMs: 10_000,
      maxReconnectAttempts: 5,
      reconnectDelayMs: 1_000,
      maxQueueSize: 1_000,
      messageTimeoutMs: 60_000,
      keepaliveIntervalMs: 15_000,
      maxMessageBytes: 33_554_432,
      registryUrl: 'https://registry.modelcontextprotocol.io',
    });
    expect(new Set(Object.values(sources).map((s) => s.layer))).toEqual(new Set(['default']));
  });

  it('layers defaults < stored < environment < flags and says which layer won', () => {
    const { settings, sources } = resolveSettings({
      stored: { port: 9000, host: '0.0.0.0', maxQueueSize: 50, messageTimeoutMs: 1_000 },
      env: { TRANSPORT_SSE_PORT: '9100', TRANSPORT_SSE_HOST: '127.0.0.2', SWITCHBOARD_MESSAGE_TIMEOUT_MS: '5000' },
      flags: { port: '9200' },
    });
    expect(settings).toMatchObject({ port: 9200, host: '127.0.0.2', maxQueueSize: 50, messageTimeoutMs: 5_000 });
    expect(sources.port).toEqual({ layer: 'flag', name: '--port' });
    expect(sources.host).toEqual({ layer: 'env', name: 'TRANSPORT_SSE_HOST' });
    expect(sources.maxQueueSize).toEqual({ layer: 'stored' });
    expect(sources.logLevel).toEqual({ layer: 'default' });
    expect(describeSource(sources.messageTimeoutMs)).toBe('set by SWITCHBOARD_MESSAGE_TIMEOUT_MS');
    expect(describeSource(sources.port)).toBe('set by --port');
  });

  it('reads every transport variable', () => {
    const { settings } = resolveSettings({
      env: {
        TRANSPORT_LOG_LEVEL: 'DEBUG',
        TRANSPORT_ALLOW_ORIGINS: 'http://localhost:5173/, https://Inspector.example',
        API_ACCESS_TOKEN: 'tok',
        TRANSPORT_PASS_ENV: 'yes',
        TRANSPORT_MAX_PROCESSES: '3',
      },
    });
    expect(settings).toMatchObject({
      logLevel: 'debug',
      allowedOrigins: ['http://localhost:5173', 'https://inspector.example'],
      token: 'tok',
      passEnvironment: true,
      maxProcesses: 3,
    });
  });

  it('has a SWITCHBOARD_* variable and a flag for every runtime setting', () => {
    const env = {
      SWITCHBOARD_CONNECTION_TIMEOUT_MS: '1',
      SWITCHBOARD_MAX_RECONNECT_ATTEMPTS: '2',
      SWITCHBOARD_RECONNECT_DELAY_MS: '3',
      SWITCHBOARD_MAX_QUEUE_SIZE: '4',
      SWITCHBOARD_MESSAGE_TIMEOUT_MS: '5',
      SWITCHBOARD_KEEPALIVE_INTERVAL_MS: '6',
      SWITCHBOARD_MAX_MESSAGE_BYTES: '7000',
    };
    expect(resolveSettings({ env }).settings).toMatchObject({
      connectionTimeoutMs: 1,
      maxReconnectAttempts: 2,
      reconnectDelayMs: 3,
      maxQueueSize: 4,
      messageTimeoutMs: 5,
      keepaliveIntervalMs: 6,
      maxMessageBytes: 7000,
    });
    expect(settingDefinitions.messageTimeoutMs.flag).toBe('--message-timeout-ms');
  });

  it('treats an empty variable as unset and --no-auth (token: null) as a flag', () => {
    const { settings, sources } = resolveSettings({
      env: { TRANSPORT_SSE_PORT: '', API_ACCESS_TOKEN: 'tok' },
      flags: { token: null },
    });
    expect(settings.port).toBe(8808);
    expect(settings.token).toBeNull();
    expect(sources.token).toEqual({ layer: 'flag', name: '--no-auth' });
  });

  it('names the variable and the bad value, all of them at once', () => {
    const err = errorOf(() =>
      resolveSettings({
        env: { TRANSPORT_SSE_PORT: 'abc', TRANSPORT_PASS_ENV: 'maybe', SWITCHBOARD_MAX_QUEUE_SIZE: '1e3' },
        flags: { logLevel: 'loud', port: 70000 },
      }),
    );
    expect(err.kind).toBe('invalid_setting');
    expect(err.issues.map((i) => i.message)).toEqual([
      'TRANSPORT_SSE_PORT=abc is not a port number (0–65535)',
      '--port 70000 is not a port number (0–65535)',
      '--log-level loud is not a log level (debug, info, warn, error, silent)',
      'TRANSPORT_PASS_ENV=maybe is not true or false (1/0, true/false, yes/no, on/off)',
      'SWITCHBOARD_MAX_QUEUE_SIZE=1e3 is not a whole number ≥ 1',
    ]);
  });

  it('rejects origins the gateway could never match, and never echoes a token', () => {
    expect(errorOf(() => resolveSettings({ env: { TRANSPORT_ALLOW_ORIGINS: 'localhost:5173' } })).message).toMatch(
      /^TRANSPORT_ALLOW_ORIGINS=localhost:5173 is not a comma-separated list of origins/,
    );
    expect(errorOf(() => resolveSettings({ flags: { token: '   ' } })).message).toBe(
      '--token (hidden) is not a non-empty token',
    );
  });

  it('ignores a bad stored value with a reason instead of failing, and ignores unknown stored keys', () => {
    const { settings, sources, ignored } = resolveSettings({
      stored: { port: 'abc', maxProcesses: 4, removedLongAgo: true },
    });
    expect(settings.port).toBe(8808);
    expect(settings.maxProcesses).toBe(4);
    expect(sources.port).toEqual({ layer: 'default' });
    expect(ignored).toEqual([
      {
        key: 'port',
        layer: 'stored',
        message: 'stored setting port=abc is not a port number (0–65535); using the default instead',
      },
    ]);
  });

  it('says which settings need a restart, and which changed ones do', () => {
    expect(settingsNeedingRestart).toContain('port');
    expect(settingsNeedingRestart).toContain('host');
    expect(settingsNeedingRestart).not.toContain('logLevel');
    expect(settingsNeedingRestart).not.toContain('token');
    const before = resolveSettings().settings;
    const after = resolveSettings({ flags: { port: 1, logLevel: 'debug', messageTimeoutMs: 5 } }).settings;
    expect(restartsNeeded(before, after)).toEqual([
      { key: 'port', restart: 'app' },
      { key: 'messageTimeoutMs', restart: 'server' },
    ]);
  });

  it('does not share the default list between results', () => {
    resolveSettings().settings.allowedOrigins.push('http://x');
    expect(resolveSettings().settings.allowedOrigins).toEqual([]);
  });
});
