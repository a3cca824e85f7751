import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from './route.js';

describe('routes', () => {
  it('round-trips every page', () => {
    for (const route of [
      { page: 'servers' },
      { page: 'server', name: 'my.server-1', tab: 'traffic' },
      { page: 'connect' },
      { page: 'catalog' },
      { page: 'metrics' },
      { page: 'settings' },
    ] as const) {
      expect(parseRoute(formatRoute(route))).toEqual(route);
    }
  });

  it('falls back to the servers list and the logs tab', () => {
    expect(parseRoute('')).toEqual({ page: 'servers' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'servers' });
    expect(parseRoute('#/servers/x/bogus')).toEqual({ page: 'server', name: 'x', tab: 'logs' });
    expect(parseRoute('#/servers/%E0%A4%A')).toEqual({ page: 'server', name: '%E0%A4%A', tab: 'logs' });
  });
});
