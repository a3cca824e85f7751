import { describe, expect, it } from 'vitest';
import { buildChildEnv } from './child-env.js';

const parent = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/u',
  LANG: 'C.UTF-8',
  AWS_SECRET_ACCESS_KEY: 'very-secret',
  NODE_OPTIONS: '--require /tmp/evil.js',
  ELECTRON_RUN_AS_NODE: '1',
  BASH_FUNC_x: '() { echo pwned; }',
  SHELL: '() { :; }; echo pwned',
};

describe('buildChildEnv (C9)', () => {
  it('passes only the allowlist plus the declared env', () => {
    const env = buildChildEnv({ parent, declared: { API_KEY: 'declared' } });
    expect(env).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/u', LANG: 'C.UTF-8', API_KEY: 'declared' });
  });

  it('lets declared values override inherited ones', () => {
    expect(buildChildEnv({ parent, declared: { PATH: '/opt/bin' } }).PATH).toBe('/opt/bin');
  });

  it('passes the whole environment only when asked', () => {
    const env = buildChildEnv({ parent, passEnvironment: true });
    expect(env.AWS_SECRET_ACCESS_KEY).toBe('very-secret');
    expect(env.NODE_OPTIONS).toBe(parent.NODE_OPTIONS);
  });
});

describe("the gateway's own variables (issue 11 item 8)", () => {
  const gatewayParent = {
    PATH: '/usr/bin:/bin',
    API_ACCESS_TOKEN: 'gateway-token',
    TRANSPORT_SSE_PORT: '8808',
    TRANSPORT_PASS_ENV: '1',
    SWITCHBOARD_ENABLE_TERMINAL: '1',
    transport_log_level: 'debug',
    MY_TOOL_SETTING: 'kept',
  };

  it('never reach a child, even when the whole environment is passed', () => {
    expect(buildChildEnv({ parent: gatewayParent, passEnvironment: true })).toEqual({
      PATH: '/usr/bin:/bin',
      MY_TOOL_SETTING: 'kept',
    });
    expect(buildChildEnv({ parent: gatewayParent })).toEqual({ PATH: '/usr/bin:/bin' });
  });

  it('reach it only when the server declares one itself', () => {
    const env = buildChildEnv({ parent: gatewayParent, passEnvironment: true, declared: { TRANSPORT_MODE: 'x' } });
    expect(env.TRANSPORT_MODE).toBe('x');
    expect(env.API_ACCESS_TOKEN).toBeUndefined();
  });
});
