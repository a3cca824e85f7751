import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import {
  describeServerIssues,
  serverDefinitionSchema,
  serverOptionsSchema,
} from '../../../shared/server-definition.js';
import { parseEnvFile } from './env-file.js';
import { isSecretEnvVar } from './secrets.js';

type ServerOptionsInput = z.input<typeof serverOptionsSchema>;

/**
 * One stdio server as Switchboard runs it. A config file's entry carries only what the file sets, so a refresh
 * from the file leaves alone what the dashboard set for anything the file does not name.
 */
export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** `run --pass-environment`; a config file's entry puts it under `options` like every other option. */
  passEnvironment?: boolean;
  /** Marked secret: the file's own list plus every variable the import preview's rule calls secret. */
  secretEnvKeys?: string[];
  enabled?: boolean;
  autostart?: boolean;
  /** The per-server options the entry sets (nested under "options" or as top-level shorthand), validated. */
  options?: ServerOptionsInput;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;

/** Entry keys of the definition itself (the engine's schema), `disabled` (Claude Desktop, Cline) and `envFile`. */
const ENTRY_KEYS = new Set([...Object.keys(serverDefinitionSchema.shape), 'disabled', 'envFile', 'type']);
/** Every per-server option may also be written at the entry's top level: `"sharing": "per-session"`. */
const OPTION_KEYS = new Set(Object.keys(serverOptionsSchema.shape));
/**
 * Keys other MCP clients keep in the same entry. A file shared with such a client has them for a reason, so they
 * are noted as ignored rather than warned about as mistakes.
 */
const CLIENT_KEYS: Record<string, string> = {
  alwaysAllow: 'Cline/Roo',
  autoApprove: 'Cline/Roo',
  disabledTools: 'Cline/Roo/Windsurf',
  timeout: 'Cline/Roo',
  transportType: 'Cline',
  description: 'several clients',
  trust: 'Gemini CLI',
  includeTools: 'Gemini CLI',
  excludeTools: 'Gemini CLI',
  gallery: 'VS Code',
  version: 'VS Code',
  dev: 'VS Code',
};

const configFile = z.object({
  mcpServers: z.record(z.string(), z.unknown(), { error: 'the file needs an "mcpServers" object' }),
});

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A name that is safe in a URL path: spaces and other characters become '-', as users' configs have them. */
export function urlSafeName(name: string): string {
  const safe = name
    .trim()
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[-_.]+|-+$/g, '')
    .slice(0, 64);
  return NAME.test(safe) ? safe : 'server';
}

export interface LoadedConfig {
  servers: ServerSpec[];
  /** Entries that were not loaded, and why (remote servers). */
  skipped: Array<{ name: string; reason: string }>;
  /** One line per key Switchboard does not know, naming the server and the key: likely a typo. */
  warnings: string[];
  /** One line per key another client uses that Switchboard ignores. */
  notes: string[];
}

/**
 * Reads a Claude Desktop style `mcpServers` file. Entries may carry every per-server option the dashboard has,
 * validated by the engine's own schema. A relative `cwd` or `envFile` is taken from the file's folder; remote
 * entries (`url`) are listed as skipped, never spawned.
 */
export function loadMcpServersFile(path: string): LoadedConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(
      e.code === 'ENOENT'
        ? `config file ${path} does not exist`
        : `config file ${path} is not valid JSON: ${e.message}`,
    );
  }
  const file = configFile.safeParse(raw);
  if (!file.success) throw new ConfigError(`${path}: ${file.error.issues[0]?.message}`);
  const loaded: LoadedConfig = { servers: [], skipped: [], warnings: [], notes: [] };
  const used = new Set<string>();
  for (const [original, value] of Object.entries(file.data.mcpServers)) {
    const entry = value as Record<string, unknown> | null;
    if (entry && typeof entry === 'object' && ('url' in entry || 'serverUrl' in entry) && !('command' in entry)) {
      loaded.skipped.push({ name: original, reason: 'remote server (url): not a stdio server, nothing to run' });
      continue;
    }
    let name = urlSafeName(original);
    for (let i = 2; used.has(name); i++) name = `${urlSafeName(original)}-${i}`;
    used.add(name);
    loaded.servers.push(readEntry(path, original, name, value, loaded));
  }
  return loaded;
}

function readEntry(path: string, original: string, name: string, value: unknown, out: LoadedConfig): ServerSpec {
  const fail = (message: string) => new ConfigError(`${path}: server "${original}": ${message}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('must be an object with a "command"');
  }
  const entry = value as Record<string, unknown>;
  const candidate: Record<string, unknown> = { name };
  const flat: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(entry)) {
    if (OPTION_KEYS.has(key)) flat[key] = v;
    else if (key in CLIENT_KEYS)
      out.notes.push(`${path}: server "${original}": "${key}" (${CLIENT_KEYS[key]}) ignored`);
    else if (!ENTRY_KEYS.has(key)) out.warnings.push(`${path}: server "${original}": unknown key "${key}" ignored`);
    else if (key !== 'disabled' && key !== 'envFile' && key !== 'type') candidate[key] = v;
  }
  if (entry.type !== undefined && entry.type !== 'stdio') {
    throw fail(`type ${JSON.stringify(entry.type)} with a "command": only "stdio" servers run here`);
  }

  // "disabled" is how Claude Desktop and Cline say it; "enabled" is the dashboard's word. Both mean one flag.
  if (entry.disabled !== undefined) {
    if (typeof entry.disabled !== 'boolean') throw fail('disabled must be true or false');
    if (entry.enabled !== undefined && entry.enabled === entry.disabled) {
      throw fail(`"disabled": ${entry.disabled} contradicts "enabled": ${String(entry.enabled)}`);
    }
    candidate.enabled = !entry.disabled;
  }

  const nested = entry.options;
  if (nested !== undefined && (typeof nested !== 'object' || nested === null || Array.isArray(nested))) {
    throw fail('options must be an object of per-server options, e.g. { "sharing": "per-session" }');
  }
  for (const key of Object.keys(flat)) {
    if (nested && key in nested) throw fail(`"${key}" is set both at the top level and under "options"; keep one`);
  }
  const options = { ...(nested as Record<string, unknown> | undefined), ...flat };
  if (Object.keys(options).length > 0) candidate.options = options;

  if (typeof candidate.cwd === 'string') candidate.cwd = resolve(dirname(resolve(path)), candidate.cwd);
  if (entry.envFile !== undefined) {
    if (typeof entry.envFile !== 'string') throw fail('envFile must be the path of a KEY=value file');
    const declared = isStringMap(entry.env) ? entry.env : {};
    // Written values win over the env file's, as in VS Code.
    candidate.env = { ...readEnvFile(resolve(dirname(resolve(path)), entry.envFile), fail), ...declared };
  }

  const parsed = validate(candidate, (key) => out.warnings.push(`${path}: server "${original}": ${key}`));
  if (!parsed.success) throw fail(describeServerIssues(parsed.error));

  const def = parsed.data;
  const marked = Object.entries(def.env)
    .filter(([k, v]) => isSecretEnvVar(k, v))
    .map(([k]) => k);
  const secretEnvKeys = [...new Set([...def.secretEnvKeys, ...marked])];
  return {
    name,
    command: def.command,
    args: def.args,
    env: def.env,
    ...(def.cwd !== undefined && { cwd: def.cwd }),
    ...(secretEnvKeys.length > 0 && { secretEnvKeys }),
    ...(candidate.enabled !== undefined && { enabled: def.enabled }),
    ...(candidate.autostart !== undefined && { autostart: def.autostart }),
    // Only what the entry wrote (after dropping unknown keys), not the schema's defaults: see ServerSpec.
    ...(candidate.options !== undefined && { options: candidate.options as ServerOptionsInput }),
  };
}

/**
 * The engine's schema decides. Unknown keys inside `options` (strict objects) are reported one by one and dropped,
 * as at the top level, so a file written for a newer Switchboard still loads; anything else is an error.
 */
function validate(candidate: Record<string, unknown>, warn: (message: string) => void) {
  for (;;) {
    const parsed = serverDefinitionSchema.safeParse(candidate);
    if (parsed.success) return parsed;
    const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys' && i.path[0] === 'options');
    if (unknown.length === 0) return parsed;
    for (const issue of unknown) {
      const holder = issue.path.reduce<Record<string, unknown>>(
        (o, p) => o[p as string] as Record<string, unknown>,
        candidate,
      );
      for (const key of (issue as { keys: string[] }).keys) {
        warn(`unknown key "${[...issue.path, key].join('.')}" ignored`);
        delete holder[key];
      }
    }
    // The options object is the file's own parse result, so removing keys from it changes nothing else.
  }
}

function readEnvFile(path: string, fail: (message: string) => Error): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(`envFile ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`);
  }
  const { vars, badLines } = parseEnvFile(text);
  if (badLines.length > 0) throw fail(`envFile ${path}: line ${badLines.join(', ')} is not NAME=value`);
  return vars;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
