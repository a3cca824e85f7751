import { expect, it } from 'vitest';
import type { AppSettings } from '../../../../shared/app-api.js';
import { draftFrom, patchFrom } from './settings-form.js';

const current: AppSettings = {
  port: 3000,
  host: '127.0.0.1',
  allowedOrigins: ['http://a'],
  passEnvironment: false,
  maxProcesses: 20,
  logLevel: 'info',
  keepaliveIntervalMs: 1,
  messageTimeoutMs: 1,
  maxMessageBytes: 1,
  retentionDays: 7,
  startAtLogin: false,
};

it('sends only what changed', () => {
  const draft = { ...draftFrom(current), port: '3001', allowedOrigins: 'http://a, http://b' };
  expect(patchFrom(draft, current)).toEqual({
    patch: { port: 3001, allowedOrigins: ['http://a', 'http://b'] },
    errors: {},
  });
  expect(patchFrom(draftFrom(current), current).patch).toEqual({});
});

it('names bad numbers and an empty host', () => {
  const { errors } = patchFrom({ ...draftFrom(current), port: '70000', maxProcesses: 'lots', host: ' ' }, current);
  expect(errors).toEqual({
    port: 'Port must be between 0 and 65535',
    maxProcesses: 'Max processes must be a whole number',
    host: 'Host must not be empty, e.g. 127.0.0.1',
  });
});
