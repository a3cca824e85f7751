import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';
import { isSecretName, looksLikeToken, maskTokens } from './secrets.js';

describe('secrets', () => {
  it('flags secret-looking names without catching PATH', () => {
    for (const name of [
      'GITHUB_TOKEN',
      'API_KEY',
      'apiKey',
      'PGPASSWORD',
      'CLIENT_SECRET',
      'GITHUB_PAT',
      'gcpCredentials',
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of ['PATH', 'MEMORY_FILE_PATH', 'PYTHONPATH', 'HOME', 'REGION', 'PATTERN'])
      expect(isSecretName(name), name).toBe(false);
  });

  it('recognises token-shaped values and leaves ordinary ones alone', () => {
    for (const value of [
      'ghp_exampleexampleexampleexample0000',
      'sk-ant-api03-abcdefghijklmnop',
      'xoxb-1234567890-abcdef',
      'AKIAABCDEFGHIJKLMNOP',
      'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6',
    ])
      expect(looksLikeToken(value), value).toBe(true);
    for (const value of ['/Users/alice/.mcp/memory.jsonl', 'postgresql://localhost/mydb', 'npx', 'true', '8080'])
      expect(looksLikeToken(value), value).toBe(false);
  });

  it('masks tokens, bearer values and URL passwords inside longer text', () => {
    expect(maskTokens('--token=ghp_exampleexampleexampleexample0000')).toBe('--token=•••');
    expect(maskTokens('Authorization: Bearer abc.def')).toBe('Authorization: Bearer •••');
    expect(maskTokens('postgresql://bob:hunter2@db/app')).toBe('postgresql://bob:•••@db/app');
    expect(maskTokens('/Users/alice/Desktop')).toBe('/Users/alice/Desktop');
  });
});

describe('parseEnvFile', () => {
  it('reads assignments, export, quotes and comments, and reports other lines', () => {
    const { vars, badLines } = parseEnvFile(
      '# top\nA=1\nexport B = two words # note\nC="x # not a comment\\n"\nD=\'single\'\nnot an assignment\n\nE=\n',
    );
    expect(vars).toEqual({ A: '1', B: 'two words', C: 'x # not a comment\n', D: 'single', E: '' });
    expect(badLines).toEqual([6]);
  });
});
