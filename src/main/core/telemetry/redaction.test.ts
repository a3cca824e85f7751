import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, looksSecretName } from './redaction.js';

describe('Redactor', () => {
  it('replaces marked values wherever they appear, including their JSON-escaped spelling', () => {
    const r = new Redactor(['s3cret-value', 'with"quote']);
    expect(r.redact('a s3cret-value b s3cret-value')).toBe(`a ${REDACTED} b ${REDACTED}`);
    const payload = JSON.stringify({ text: 'pw is with"quote' });
    const out = r.redact(payload);
    expect(out).not.toContain('quote');
    expect(JSON.parse(out).text).toBe(`pw is ${REDACTED}`);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const r = new Redactor(['abcd', 'abcdefgh']);
    expect(r.redact('x abcdefgh y')).toBe(`x ${REDACTED} y`);
  });

  it('ignores values too short to redact safely, and forgets removed ones', () => {
    const r = new Redactor();
    expect(r.addSecret('yes')).toBe(false);
    expect(r.redact('yes yes')).toBe('yes yes');
    r.addSecret('hunter22');
    r.removeSecret('hunter22');
    expect(r.redact('hunter22')).toBe('hunter22');
  });

  it('redacts Authorization values, keeping the scheme, and bare bearer tokens', () => {
    const r = new Redactor();
    expect(r.redact('Authorization: Bearer abc.def-123')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.redact('{"authorization":"Basic dXNlcjpwYXNz"}')).toBe(`{"authorization":"Basic ${REDACTED}"}`);
    expect(r.redact('{\\"Authorization\\":\\"xyz\\"}')).toBe(`{\\"Authorization\\":\\"${REDACTED}\\"}`);
    expect(r.redact('use bearer eyJhbGciOi.x_y to call')).toBe(`use bearer ${REDACTED} to call`);
  });

  it('redacts JSON values under secret-sounding keys', () => {
    const r = new Redactor();
    const out = r.redact('{"user":"ann","password":"p\\"w d","apiKey":"k1","api_key":"k2"}');
    expect(JSON.parse(out)).toEqual({ user: 'ann', password: REDACTED, apiKey: REDACTED, api_key: REDACTED });
  });

  it('redacts common token shapes and leaves look-alikes alone', () => {
    const r = new Redactor();
    const tokens = [
      'ghp_' + 'a'.repeat(36),
      'github_pat_' + 'B'.repeat(30),
      'sk-proj-' + 'c'.repeat(40),
      'sk-ant-api03-' + 'd'.repeat(30),
      'xoxb-1234567890-abcdefghij',
      'AKIAABCDEFGHIJKLMNOP',
      'glpat-' + 'e'.repeat(20),
    ];
    for (const t of tokens) expect(r.redact(`token ${t} end`), t).toBe(`token ${REDACTED} end`);
    for (const plain of ['task-list-with-a-long-descriptive-name', 'ghp_short', 'sk-short', 'xoxo']) {
      expect(r.redact(plain)).toBe(plain);
    }
  });

  it('is idempotent', () => {
    const r = new Redactor(['s3cret-value']);
    const once = r.redact('Authorization: Bearer s3cret-value, ghp_' + 'z'.repeat(36));
    expect(r.redact(once)).toBe(once);
  });

  it('takes secret values from env: marked names and names that look secret', () => {
    const r = new Redactor();
    const added = r.addSecretsFromEnv(
      { GITHUB_TOKEN: 'tok-value-1', PLAIN: 'plain-value', MARKED: 'marked-value', GIT_AUTHOR_NAME: 'Ann Author' },
      ['MARKED'],
    );
    expect(added).toBe(2);
    expect(r.redact('tok-value-1 plain-value marked-value Ann Author')).toBe(
      `${REDACTED} plain-value ${REDACTED} Ann Author`,
    );
    expect(looksSecretName('OPENAI_API_KEY')).toBe(true);
    expect(looksSecretName('DB_PASSWORD')).toBe(true);
    expect(looksSecretName('HOME')).toBe(false);
  });

  it('finds each pattern when it is the only credential in the text (the quick pre-check misses none)', () => {
    const r = new Redactor();
    const keys = ['password', 'passwd', 'secret', 'token', 'api_key', 'api-key', 'apikey', 'x-api-key'];
    keys.push('access_token', 'refresh-token', 'client_secret', 'private_key', 'PASSWORD', 'Private-Key');
    for (const key of keys) expect(r.redact(`{"${key}":"v4lue"}`), key).toBe(`{"${key}":"${REDACTED}"}`);
    const jwt = `eyJ${'a'.repeat(12)}.eyJ${'b'.repeat(12)}.${'c'.repeat(12)}`;
    for (const shape of [
      'gho_' + 'a'.repeat(24),
      'ghs_' + 'a'.repeat(24),
      'xoxp-1234567890a',
      'sk-' + 'x'.repeat(24),
      jwt,
    ]) {
      expect(r.redact(`{"text":"is ${shape} here"}`), shape).toBe(`{"text":"is ${REDACTED} here"}`);
    }
    expect(r.redact('AUTHORIZATION=Token abc123')).toBe(`AUTHORIZATION=Token ${REDACTED}`);
    expect(r.redact('BEARER abc123')).toBe(`BEARER ${REDACTED}`);
  });

  it('returns the same text when there is nothing to redact', () => {
    const r = new Redactor(['not-present-secret']);
    const text = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}}';
    expect(r.redact(text)).toBe(text);
  });
});
