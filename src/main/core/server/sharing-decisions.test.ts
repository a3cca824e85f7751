import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SharingDecisions } from './sharing-decisions.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SharingDecisions', () => {
  it('keeps a decision across restarts, first reason wins, and forgets it on reset', () => {
    dir = mkdtempSync(join(tmpdir(), 'decisions-'));
    const file = join(dir, 'sharing-decisions.json');
    const first = new SharingDecisions(file);
    first.decide('everything', 'the server asked a client for sampling/createMessage');
    first.decide('everything', 'a later reason');
    const reopened = new SharingDecisions(file);
    expect(reopened.get('everything')).toMatchObject({
      mode: 'per-session',
      reason: 'the server asked a client for sampling/createMessage',
    });
    reopened.reset('everything');
    expect(new SharingDecisions(file).get('everything')).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });

  it('reads a corrupt file as no decisions, with one warning', () => {
    dir = mkdtempSync(join(tmpdir(), 'decisions-'));
    const file = join(dir, 'sharing-decisions.json');
    const warnings: string[] = [];
    for (const content of ['{not json', '[1,2]', '{"x":{"mode":"shared"}}']) {
      writeFileSync(file, content);
      expect(new SharingDecisions(file, (m) => warnings.push(m)).get('x')).toBeUndefined();
    }
    expect(warnings).toHaveLength(3);
  });
});
