import type { ServerDefinition, ServerDefinitionInput } from '../../../shared/server-definition.js';
import { serverDefinitionSchema } from '../../../shared/server-definition.js';

/**
 * The add/edit form's state and its mapping to a `ServerDefinitionInput`, validated with the engine's own schema
 * so the form shows the same messages the engine would send. Pure.
 */

export interface EnvRow {
  id: number;
  key: string;
  value: string;
  secret: boolean;
}

export interface ServerForm {
  name: string;
  command: string;
  args: string[];
  env: EnvRow[];
  cwd: string;
  enabled: boolean;
  autostart: boolean;
  sharing: 'auto' | 'shared' | 'per-session';
  /** Children a per-session (or auto, once isolating) server may run at once; '' keeps the default. */
  maxChildren: string;
  /** Roots answered to a shared child: one `file://` URI per line, optionally followed by a name. */
  roots: string;
  passEnvironment: boolean;
  startupMs: string;
  requestMs: string;
  maxRequestMs: string;
  /** '' keeps the engine's default. */
  restartEnabled: '' | 'true' | 'false';
  initialDelayMs: string;
  maxDelayMs: string;
  maxFailures: string;
  failureWindowMs: string;
  /** Tool names, one per line or comma-separated. */
  toolAllow: string;
  toolDeny: string;
}

/** Field keys the view shows errors under. */
export type FormErrors = Partial<Record<string, string>>;

let nextRowId = 1;
export function envRow(key = '', value = '', secret = false): EnvRow {
  return { id: nextRowId++, key, value, secret };
}

export function emptyForm(): ServerForm {
  return {
    name: '',
    command: '',
    args: [],
    env: [],
    cwd: '',
    enabled: true,
    autostart: true,
    sharing: 'auto',
    maxChildren: '',
    roots: '',
    passEnvironment: false,
    startupMs: '',
    requestMs: '',
    maxRequestMs: '',
    restartEnabled: '',
    initialDelayMs: '',
    maxDelayMs: '',
    maxFailures: '',
    failureWindowMs: '',
    toolAllow: '',
    toolDeny: '',
  };
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export function formFromDefinition(def: ServerDefinition): ServerForm {
  const { timeouts, restart, toolFilter } = def.options;
  return {
    name: def.name,
    command: def.command,
    args: [...def.args],
    env: Object.entries(def.env).map(([key, value]) => envRow(key, value, def.secretEnvKeys.includes(key))),
    cwd: def.cwd ?? '',
    enabled: def.enabled,
    autostart: def.autostart,
    sharing: def.options.sharing,
    maxChildren: text(def.options.maxChildren),
    roots: def.options.roots.map((r) => (r.name ? `${r.uri} ${r.name}` : r.uri)).join('\n'),
    passEnvironment: def.options.passEnvironment,
    startupMs: text(timeouts.startupMs),
    requestMs: text(timeouts.requestMs),
    maxRequestMs: text(timeouts.maxRequestMs),
    restartEnabled: restart.enabled === undefined ? '' : restart.enabled ? 'true' : 'false',
    initialDelayMs: text(restart.initialDelayMs),
    maxDelayMs: text(restart.maxDelayMs),
    maxFailures: text(restart.maxFailures),
    failureWindowMs: text(restart.failureWindowMs),
    toolAllow: (toolFilter.allow ?? []).join('\n'),
    toolDeny: (toolFilter.deny ?? []).join('\n'),
  };
}

const numberFields = {
  startupMs: 'options.timeouts.startupMs',
  requestMs: 'options.timeouts.requestMs',
  maxRequestMs: 'options.timeouts.maxRequestMs',
  initialDelayMs: 'options.restart.initialDelayMs',
  maxDelayMs: 'options.restart.maxDelayMs',
  maxFailures: 'options.restart.maxFailures',
  failureWindowMs: 'options.restart.failureWindowMs',
  maxChildren: 'options.maxChildren',
} as const;

/** "file:///srv/data Project data" → { uri, name }; a URI has no spaces (they are %20), so the first one splits. */
function rootsFromText(list: string): Array<{ uri: string; name?: string }> {
  return list
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const space = line.search(/\s/);
      return space < 0 ? { uri: line } : { uri: line.slice(0, space), name: line.slice(space).trim() };
    });
}

function names(list: string): string[] | undefined {
  const items = list
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** The definition the form describes, plus problems the schema cannot see (a number that is not a number). */
export function definitionFromForm(form: ServerForm): { input: ServerDefinitionInput; errors: FormErrors } {
  const errors: FormErrors = {};
  const num: Partial<Record<keyof typeof numberFields, number>> = {};
  for (const [field, path] of Object.entries(numberFields) as Array<[keyof typeof numberFields, string]>) {
    const raw = form[field].trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n)) num[field] = n;
    else errors[path] = `${path} must be a number, not "${raw}"`;
  }
  const env: Record<string, string> = {};
  const secretEnvKeys: string[] = [];
  for (const row of form.env) {
    if (row.key === '' && row.value === '') continue;
    if (row.key in env) errors.env = `env name "${row.key}" appears twice`;
    env[row.key] = row.value;
    if (row.secret && row.key !== '') secretEnvKeys.push(row.key);
  }
  const input: ServerDefinitionInput = {
    name: form.name.trim(),
    command: form.command,
    args: form.args.filter((a) => a !== ''),
    env,
    secretEnvKeys,
    ...(form.cwd.trim() ? { cwd: form.cwd.trim() } : {}),
    enabled: form.enabled,
    autostart: form.autostart,
    options: {
      timeouts: { startupMs: num.startupMs, requestMs: num.requestMs, maxRequestMs: num.maxRequestMs },
      restart: {
        enabled: form.restartEnabled === '' ? undefined : form.restartEnabled === 'true',
        initialDelayMs: num.initialDelayMs,
        maxDelayMs: num.maxDelayMs,
        maxFailures: num.maxFailures,
        failureWindowMs: num.failureWindowMs,
      },
      toolFilter: { allow: names(form.toolAllow), deny: names(form.toolDeny) },
      sharing: form.sharing,
      maxChildren: num.maxChildren,
      roots: rootsFromText(form.roots),
      passEnvironment: form.passEnvironment,
    },
  };
  return { input: JSON.parse(JSON.stringify(input)) as ServerDefinitionInput, errors };
}

/** Where an issue is shown: env and secretEnvKeys issues under the env editor, args items under args, roots under roots. */
function fieldKey(path: readonly PropertyKey[]): string {
  const [head] = path;
  if (head === 'env' || head === 'secretEnvKeys') return 'env';
  if (head === 'args') return 'args';
  // One textarea holds every root: its issues (options.roots.<i>.uri) show under it.
  if (head === 'options' && path[1] === 'roots') return 'options.roots';
  return path.map(String).join('.') || 'form';
}

/** Every problem with the form, keyed by field; empty when it can be saved. */
export function validateForm(form: ServerForm): { input: ServerDefinitionInput; errors: FormErrors } {
  const { input, errors } = definitionFromForm(form);
  const parsed = serverDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = fieldKey(issue.path);
      errors[key] ??= issue.message;
    }
  }
  return { input, errors };
}
