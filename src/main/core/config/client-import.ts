import { readFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ClientConfigImport, ClientInput, ClientKind } from '../../../shared/client-formats.js';
import { parseEntry, type EntryContext } from './client-entry.js';
import { urlSafeName } from './server-config.js';

export interface ClientImportOptions {
  client: ClientKind;
  /** The file's path, for messages and to make a relative `cwd` or `envFile` absolute. */
  path?: string;
  /** Where `${VAR}` and `${env:VAR}` come from; pass `process.env` to use Switchboard's own. */
  env: Record<string, string | undefined>;
  /** Answers to VS Code `${input:id}` prompts, by id. */
  answers?: Record<string, string>;
  /** `${workspaceFolder}`; also the base of relative paths in a workspace file. */
  workspaceFolder?: string;
  home?: string;
  /** The OS the servers would run on (path separator, Windows-only wrappers). Default: this one. */
  platform?: NodeJS.Platform;
  /** Reads `envFile`s; swappable for tests. */
  readFile?: (path: string) => string;
}

/** The key that holds the servers: VS Code says `servers`, the others `mcpServers`. */
export function serversKey(client: ClientKind): 'servers' | 'mcpServers' {
  return client === 'vscode' ? 'servers' : 'mcpServers';
}

/**
 * Reads a client's configuration text (JSON, or JSONC with comments and trailing commas) into a neutral list of
 * entries. Never throws and never spawns: a broken file or entry comes back as problems to show.
 */
export function parseClientConfig(text: string, options: ClientImportOptions): ClientConfigImport {
  const result: ClientConfigImport = {
    client: options.client,
    ...(options.path !== undefined && { path: options.path }),
    entries: [],
    inputs: [],
    problems: [],
  };
  const label = options.path ?? 'the config';
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    result.problems.push(...errors.slice(0, 3).map((e) => `${label} ${position(text, e.offset)}: ${explain(e)}`));
    return result;
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    result.problems.push(`${label} must hold a JSON object with "${serversKey(options.client)}"`);
    return result;
  }
  const file = root as Record<string, unknown>;
  // Users copy snippets between clients, so accept the other client's key when this one's is missing.
  const key =
    serversKey(options.client) in file ? serversKey(options.client) : 'mcpServers' in file ? 'mcpServers' : 'servers';
  const servers = file[key];
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    result.problems.push(`${label} has no "${serversKey(options.client)}" object: nothing to import`);
    return result;
  }

  result.inputs = readInputs(file.inputs, result.problems);
  const ctx = entryContext(options, result.inputs);
  const used = new Set<string>();
  for (const [name, value] of Object.entries(servers)) {
    let safeName = urlSafeName(name);
    for (let i = 2; used.has(safeName); i++) safeName = `${urlSafeName(name)}-${i}`;
    used.add(safeName);
    result.entries.push(parseEntry(name, safeName, value, ctx));
  }
  return result;
}

/** Reads and parses a client file. A missing or unreadable file is a problem in the result, not an exception. */
export function readClientConfig(path: string, options: Omit<ClientImportOptions, 'path'>): ClientConfigImport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`;
    return { client: options.client, path, entries: [], inputs: [], problems: [`${path} ${why}`] };
  }
  return parseClientConfig(text, { ...options, path });
}

function entryContext(options: ClientImportOptions, inputs: ClientInput[]): EntryContext {
  const platform = options.platform ?? process.platform;
  const path = platform === 'win32' ? win32 : posix;
  const base =
    options.workspaceFolder ?? (options.path !== undefined ? path.dirname(path.resolve(options.path)) : undefined);
  return {
    env: options.env,
    inputs: new Map(inputs.map((i) => [i.id, i])),
    answers: options.answers ?? {},
    ...(options.workspaceFolder !== undefined && { workspaceFolder: options.workspaceFolder }),
    ...(options.home !== undefined && { home: options.home }),
    pathSeparator: path.sep,
    platform,
    absolute: (p) => (base === undefined || path.isAbsolute(p) ? p : path.resolve(base, p)),
    readFile: options.readFile ?? ((p) => readFileSync(p, 'utf8')),
  };
}

function readInputs(value: unknown, problems: string[]): ClientInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('"inputs" must be a list; it was ignored');
    return [];
  }
  const inputs: ClientInput[] = [];
  value.forEach((item: Record<string, unknown> | null, i) => {
    if (typeof item?.id !== 'string' || item.id === '') {
      problems.push(`inputs[${i}] has no "id"; it was ignored`);
      return;
    }
    inputs.push({
      id: item.id,
      type: typeof item.type === 'string' ? item.type : 'promptString',
      ...(typeof item.description === 'string' && { description: item.description }),
      password: item.password === true,
      ...(typeof item.default === 'string' && { default: item.default }),
      ...(Array.isArray(item.options) && { options: item.options.map(String) }),
    });
  });
  return inputs;
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

const explanations: Record<string, string> = {
  CommaExpected: 'a comma is missing',
  ColonExpected: 'a colon is missing after a name',
  PropertyNameExpected: 'expected a "name" in double quotes',
  ValueExpected: 'expected a value',
  CloseBraceExpected: 'a } is missing',
  CloseBracketExpected: 'a ] is missing',
  EndOfFileExpected: 'unexpected text after the end',
  InvalidSymbol: 'unexpected character (names and strings need double quotes)',
};

function explain(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  return `${explanations[code] ?? code} — fix the file and import again`;
}
