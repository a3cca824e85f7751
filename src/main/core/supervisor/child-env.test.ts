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
