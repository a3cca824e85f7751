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
  keepaliveIntervalMs: 15_000,
  messageTimeoutMs: 60_000,
  maxMessageBytes: 33_554_432,
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

it('edits the runtime limits and refuses values the engine would refuse', () => {
  const draft = { ...draftFrom(current), messageTimeoutMs: '120000', keepaliveIntervalMs: '0' };
  expect(patchFrom(draft, current).patch).toEqual({ messageTimeoutMs: 120_000, keepaliveIntervalMs: 0 });
  const { errors } = patchFrom({ ...draftFrom(current), maxMessageBytes: '10', retentionDays: '0' }, current);
  expect(errors).toEqual({
    maxMessageBytes: 'Max message size (bytes) must be between 1024 and 1073741824',
    retentionDays: 'Keep logs and traffic (days) must be between 1 and 3650',
  });
});
