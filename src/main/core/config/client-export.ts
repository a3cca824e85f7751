import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type ParseError } from 'jsonc-parser';
import type { JSONPath, Node } from 'jsonc-parser';
import type { ClientConfigImport, ClientInput, ClientKind } from '../../../shared/client-formats.js';
import type { Result } from '../../../shared/index.js';
import { serversKey } from './client-import.js';

/** A server to write into a client's file. Values are written as given: keep placeholders, not their answers. */
export type ExportServer =
  | {
      name: string;
      command: string;
      args?: string[];
      env?: Record<string, string>;
      cwd?: string;
      envFile?: string;
      disabled?: boolean;
      /** Names in `env` whose values are secrets: left out of the file unless `includeSecrets`. */
      secretEnvKeys?: string[];
    }
  | { name: string; url: string; type?: 'http' | 'sse'; headers?: Record<string, string>; disabled?: boolean };

export interface ExportOptions {
  /** The file's current text. Its other keys, comments, `inputs` and entries not in `servers` are kept. */
  existing?: string;
  /** Entries to delete from the existing file (servers the user removed from Switchboard). */
  remove?: string[];
  /** VS Code inputs the servers refer to; added when the file has no input with that id. */
  inputs?: ClientInput[];
  /** Write the values of `secretEnvKeys` as they are. Off by default: a config file gets copied, synced, shared. */
  includeSecrets?: boolean;
}

export interface ExportedConfig {
  text: string;
  /** Servers this client's file cannot hold, and why. */
  skipped: Array<{ name: string; reason: string }>;
  /** Parts of a server that were not written, e.g. `envFile` for a client that ignores it. */
  notes: string[];
}

// The per-entry keys we own. Any other key in an existing entry (a client's own setting) is left alone.
const MANAGED = ['type', 'command', 'args', 'env', 'envFile', 'cwd', 'url', 'serverUrl', 'headers', 'disabled'];

/**
 * Writes `servers` into `client`'s format. With `existing`, only our entries change and by the smallest edits
 * (jsonc-parser `modify`), so comments, unknown top-level keys such as `globalShortcut`, VS Code `inputs` and
 * other servers stay as the user wrote them; an entry whose values did not change is not touched at all.
 */
export function exportClientConfig(
  client: ClientKind,
  servers: ExportServer[],
  options: ExportOptions = {},
): Result<ExportedConfig, 'invalid_existing'> {
  let text = options.existing?.trim() ? options.existing : '{}\n';
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || root?.type !== 'object') {
    return {
      ok: false,
      kind: 'invalid_existing',
      message: `the existing ${client} config is not a valid JSON object; fix it first so an export does not overwrite what is in it`,
    };
  }
  const formattingOptions = detectFormatting(text);
  const edit = (path: JSONPath, value: unknown, isArrayInsertion = false) => {
    text = applyEdits(text, modify(text, path, value, { formattingOptions, isArrayInsertion }));
  };
  const key = serversKey(client);
  const result: ExportedConfig = { text: '', skipped: [], notes: [] };
  const inputs = [...(options.inputs ?? [])];

  for (const name of options.remove ?? []) if (nodeAt(text, [key, name])) edit([key, name], undefined);
  for (const server of servers) {
    const value = entryFor(client, server, result);
    if (!value) continue;
    if (!options.includeSecrets && 'command' in server) {
      withholdSecrets(client, server, value, (k) => valueAt(text, [key, server.name, 'env', k]), inputs, result);
    }
    const current = nodeAt(text, [key, server.name]);
    if (current?.type !== 'object') {
      edit([key, server.name], value);
      continue;
    }
    for (const field of MANAGED) {
      const old = nodeAt(text, [key, server.name, field]);
      if (!same(field, old && getNodeValue(old), value[field])) edit([key, server.name, field], value[field]);
    }
  }

  if (client === 'vscode' && inputs.length) {
    const existing = nodeAt(text, ['inputs']);
    const have = new Set(((existing && getNodeValue(existing)) ?? []).map((i: { id?: string }) => i?.id));
    const missing = inputs.filter((i) => !have.has(i.id)).map(inputJson);
    if (existing?.type !== 'array') {
      if (missing.length) edit(['inputs'], missing);
    } else {
      for (const input of missing) edit(['inputs', existing.children?.length ?? 0], input, true);
    }
  }
  result.text = text.endsWith('\n') ? text : `${text}\n`;
  return { ok: true, value: result };
}

/** The servers of an import as written in their file (placeholders intact), ready to export elsewhere. */
export function toExportServers(imported: ClientConfigImport): ExportServer[] {
  const servers: ExportServer[] = [];
  for (const entry of imported.entries) {
    const disabled = entry.disabled ? { disabled: true } : {};
    if (entry.kind === 'stdio') servers.push({ name: entry.name, ...entry.declared, ...disabled });
    if (entry.kind === 'remote') {
      const { url, type, headers } = entry.declared;
      const t = type === 'sse' ? 'sse' : type ? 'http' : undefined;
      servers.push({ name: entry.name, url, ...(t && { type: t }), ...(headers && { headers }), ...disabled });
    }
  }
  return servers;
}

function entryFor(client: ClientKind, server: ExportServer, out: ExportedConfig): Record<string, unknown> | null {
  const disabled = server.disabled ? { disabled: true } : {};
  if ('url' in server) {
    const headers = server.headers && Object.keys(server.headers).length ? { headers: server.headers } : {};
    if (client === 'claude-desktop') {
      out.skipped.push({
        name: server.name,
        reason: 'Claude Desktop reads only local (stdio) servers from this file; add remote ones under Connectors',
      });
      return null;
    }
    if (client === 'windsurf') return { serverUrl: server.url, ...headers, ...disabled };
    if (client === 'vscode') return { type: server.type ?? 'http', url: server.url, ...headers, ...disabled };
    return { url: server.url, ...headers, ...disabled };
  }
  if (server.envFile !== undefined && client !== 'vscode')
    out.notes.push(`${server.name}: envFile is a VS Code feature; copy its variables into env for this client`);
  return {
    ...(client === 'vscode' && { type: 'stdio' }),
    command: server.command,
    ...(server.args?.length ? { args: server.args } : {}),
    ...(server.env && Object.keys(server.env).length ? { env: { ...server.env } } : {}),
    ...(client === 'vscode' && server.envFile !== undefined && { envFile: server.envFile }),
    ...(server.cwd !== undefined && { cwd: server.cwd }),
    ...disabled,
  };
}

// A value that only refers to a secret kept elsewhere (`${input:id}`, `${env:NAME}`, `${NAME}`): safe to write.
const REFERENCE = /^\$\{[^}]+\}$/;

/** What a client other than VS Code gets in place of a secret value: plainly something to replace. */
export const secretPlaceholder = (key: string) => `<set ${key}>`;

/**
 * Replaces the values of a server's secret env keys in `entry`: VS Code gets `${input:<server>-<KEY>}` and a
 * password prompt in `inputs`; other clients a placeholder, and a note says which keys to fill in. A value the
 * existing file already holds for that key (the user's own reference, or the secret they put there) is kept.
 */
function withholdSecrets(
  client: ClientKind,
  server: Extract<ExportServer, { command: string }>,
  entry: Record<string, unknown>,
  existing: (key: string) => unknown,
  inputs: ClientInput[],
  out: ExportedConfig,
): void {
  const env = entry.env as Record<string, string> | undefined;
  if (!env) return;
  const prompted: string[] = [];
  const toFill: string[] = [];
  for (const key of server.secretEnvKeys ?? []) {
    const value = env[key];
    if (value === undefined || REFERENCE.test(value)) continue;
    const current = existing(key);
    if (typeof current === 'string' && current !== '') {
      env[key] = current;
      if (current === secretPlaceholder(key)) toFill.push(key);
    } else if (client === 'vscode') {
      const id = `${server.name.replace(/[^A-Za-z0-9_-]+/g, '-')}-${key}`;
      env[key] = `\${input:${id}}`;
      if (!inputs.some((i) => i.id === id))
        inputs.push({ id, type: 'promptString', description: `${key} for ${server.name}`, password: true });
      prompted.push(key);
    } else {
      env[key] = secretPlaceholder(key);
      toFill.push(key);
    }
  }
  const list = (keys: string[]) => keys.join(', ');
  if (prompted.length > 0)
    out.notes.push(
      `${server.name}: secret values left out; VS Code asks for ${list(prompted)} when it starts the server`,
    );
  if (toFill.length > 0)
    out.notes.push(
      `${server.name}: secret values left out; replace ${list(toFill.map((k) => `"${secretPlaceholder(k)}"`))} ` +
        `with the real values (or export with "include secret values")`,
    );
}

/** Equal, counting an absent value the same as `false`, `[]`, `{}`, and a stdio entry's missing `type`. */
function same(field: string, old: unknown, value: unknown): boolean {
  if (value === undefined) return old === undefined || old === false || isEmpty(old);
  if (field === 'type' && value === 'stdio' && old === undefined) return true;
  return JSON.stringify(old) === JSON.stringify(value);
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function valueAt(text: string, path: JSONPath): unknown {
  const node = nodeAt(text, path);
  return node && getNodeValue(node);
}

function nodeAt(text: string, path: JSONPath): Node | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  return root && findNodeAtLocation(root, path);
}

function inputJson(input: ClientInput): Record<string, unknown> {
  const { id, type, description, password, ...rest } = input;
  return { type, id, ...(description !== undefined && { description }), ...(password && { password }), ...rest };
}

/** Indent and line ending as the file already has them, so our edits look like the user's. */
function detectFormatting(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}
