import { expect, it } from 'vitest';
import type { LogLine } from '../../../../shared/app-api.js';
import { logPredicate } from './log-filter.js';

const line = (p: Partial<LogLine>): LogLine => ({ time: 1, level: 'info', source: 'engine', message: 'x', ...p });

it('keeps the lines of one server at or above a level that contain the text', () => {
  const keep = logPredicate({ server: 'a', minLevel: 'warn', text: 'DISK', stderrOnly: false });
  expect(keep(line({ server: 'a', level: 'error', message: 'disk full' }))).toBe(true);
  expect(keep(line({ source: 'a', level: 'warn', message: 'Disk slow' }))).toBe(true);
  expect(keep(line({ server: 'a', level: 'info', message: 'disk' }))).toBe(false);
  expect(keep(line({ server: 'b', level: 'error', message: 'disk' }))).toBe(false);
  expect(keep(line({ server: 'a', level: 'error', message: 'cpu' }))).toBe(false);
  const stderr = logPredicate({ server: 'a', minLevel: 'debug', text: '', stderrOnly: true });
  expect(stderr(line({ server: 'a', stderr: true }))).toBe(true);
  expect(stderr(line({ server: 'a' }))).toBe(false);
});
