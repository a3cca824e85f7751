import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/app-api.js';
import { stubAppHost } from '../../../../test/helpers/app-host.js';
import { invoke, isAppMethod } from './dispatch.js';

describe('invoke', () => {
  const host = stubAppHost({
    listServers: async () => [],
    removeServer: async (name: string) => {
      if (name === 'boom') throw new TypeError('cannot read properties of undefined (secret /home/u/path)');
      throw new AppError('not_found', `no server named "${name}"`);
    },
    getMetrics: async () => {
      throw Object.assign(new Error('store is closed'), { kind: 'unavailable' });
    },
  });

  it('answers a call with its value', async () => {
    expect(await invoke(host.api, 'listServers', [])).toEqual({ ok: true, value: [] });
  });

  it('refuses names outside the contract, including prototype names', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'nope', 42]) {
      expect(isAppMethod(name)).toBe(false);
      expect(await invoke(host.api, name, [])).toMatchObject({ ok: false, kind: 'not_found' });
    }
  });

  it('refuses arguments that are not an array', async () => {
    for (const args of [undefined, null, {}, 'x', { 0: 'a', length: 1 }]) {
      expect(await invoke(host.api, 'listServers', args)).toMatchObject({ ok: false, kind: 'invalid' });
    }
  });

  it('keeps the kind and message of an error that has one', async () => {
    expect(await invoke(host.api, 'removeServer', ['x'])).toEqual({
      ok: false,
      kind: 'not_found',
      message: 'no server named "x"',
    });
    expect(await invoke(host.api, 'getMetrics', [])).toEqual({
      ok: false,
      kind: 'unavailable',
      message: 'store is closed',
    });
  });

  it('turns any other error into "internal" with a safe message, and logs the details', async () => {
    const logger = { error: vi.fn() };
    const reply = await invoke(host.api, 'removeServer', ['boom'], { logger });
    expect(reply).toMatchObject({ ok: false, kind: 'internal' });
    expect(JSON.stringify(reply)).not.toContain('/home/u');
    expect(logger.error).toHaveBeenCalledOnce();
    expect(String(logger.error.mock.calls[0]![0])).toContain('cannot read properties');
  });
});
