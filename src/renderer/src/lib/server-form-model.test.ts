import { describe, expect, it } from 'vitest';
import { serverDefinitionSchema } from '../../../shared/server-definition.js';
import { emptyForm, envRow, formFromDefinition, validateForm } from './server-form-model.js';

describe('validateForm', () => {
  it('names the problems of an empty form under their fields', () => {
    const { errors } = validateForm(emptyForm());
    expect(errors.name).toBe('name must not be empty');
    expect(errors.command).toMatch(/^command must not be empty/);
  });

  it('builds a valid definition with secrets, options and a tool filter', () => {
    const form = {
      ...emptyForm(),
      name: 'everything',
      command: 'node',
      args: ['/srv/index.js', '', 'stdio'],
      env: [envRow('TOKEN', 's3cret', true), envRow('', ''), envRow('MODE', 'x')],
      requestMs: '5000',
      restartEnabled: 'false' as const,
      toolAllow: 'echo, add\nprintEnv',
    };
    const { input, errors } = validateForm(form);
    expect(errors).toEqual({});
    expect(input).toMatchObject({
      args: ['/srv/index.js', 'stdio'],
      env: { TOKEN: 's3cret', MODE: 'x' },
      secretEnvKeys: ['TOKEN'],
      options: {
        timeouts: { requestMs: 5000 },
        restart: { enabled: false },
        toolFilter: { allow: ['echo', 'add', 'printEnv'] },
      },
    });
    expect(serverDefinitionSchema.safeParse(input).success).toBe(true);
  });

  it('reports numbers, cwd, env names and duplicates as the user types', () => {
    const form = {
      ...emptyForm(),
      name: 'bad name',
      command: 'x',
      cwd: 'relative/dir',
      startupMs: 'soon',
      maxFailures: '0',
      env: [envRow('A', '1'), envRow('A', '2'), envRow('B=C', '3')],
    };
    const { errors } = validateForm(form);
    expect(errors.name).toMatch(/may only contain/);
    expect(errors.cwd).toBe('cwd "relative/dir" must be an absolute path');
    expect(errors['options.timeouts.startupMs']).toBe('options.timeouts.startupMs must be a number, not "soon"');
    expect(errors['options.restart.maxFailures']).toMatch(/at least 1/);
    expect(errors.env).toBe('env name "A" appears twice');
  });

  it('defaults sharing to auto and keeps maxChildren and roots through an edit', () => {
    expect(validateForm({ ...emptyForm(), name: 'a', command: 'x' }).input.options).toMatchObject({ sharing: 'auto' });
    const def = serverDefinitionSchema.parse({
      name: 'fs',
      command: 'node',
      options: {
        sharing: 'shared',
        maxChildren: 3,
        roots: [{ uri: 'file:///srv/data', name: 'Project data' }, { uri: 'file:///tmp' }],
      },
    });
    const form = formFromDefinition(def);
    expect(form.roots).toBe('file:///srv/data Project data\nfile:///tmp');
    const { input, errors } = validateForm(form);
    expect(errors).toEqual({});
    expect(input.options).toMatchObject({
      sharing: 'shared',
      maxChildren: 3,
      roots: [{ uri: 'file:///srv/data', name: 'Project data' }, { uri: 'file:///tmp' }],
    });
    expect(validateForm({ ...form, roots: '/srv/data' }).errors['options.roots']).toMatch(/file:\/\//);
    expect(validateForm({ ...form, maxChildren: 'many' }).errors['options.maxChildren']).toMatch(/must be a number/);
  });

  it('round-trips a stored definition', () => {
    const def = serverDefinitionSchema.parse({
      name: 'mem',
      command: 'npx',
      args: ['-y', 'pkg'],
      env: { KEY: '•••' },
      secretEnvKeys: ['KEY'],
      options: { toolFilter: { deny: ['rm'] }, sharing: 'per-session' },
    });
    const form = formFromDefinition(def);
    expect(form.env[0]).toMatchObject({ key: 'KEY', secret: true });
    expect(validateForm(form).input).toMatchObject({
      secretEnvKeys: ['KEY'],
      options: { sharing: 'per-session', toolFilter: { deny: ['rm'] } },
    });
  });
});
