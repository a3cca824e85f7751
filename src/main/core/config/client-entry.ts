import { z } from 'zod';
import type {
  ClientInput,
  EntryProblem,
  ImportedEntry,
  ImportedEnvVar,
  ImportedStdioEntry,
} from '../../../shared/client-formats.js';
import { parseEnvFile } from './env-file.js';
import { resolvePlaceholders, type PlaceholderContext } from './placeholders.js';
import { isSecretEnvVar as isSecret, maskTokens } from './secrets.js';

/** What one entry needs besides its JSON: placeholder sources, and how to reach files (envFile, relative cwd). */
export interface EntryContext extends PlaceholderContext {
  platform: NodeJS.Platform;
  /** Makes a relative cwd/envFile absolute (against the workspace folder or the config file's folder). */
  absolute: (path: string) => string;
  readFile: (path: string) => string;
}

// Messages follow the field's path ("args[2]: must be text…"), so they need not repeat its name.
const text = () => z.string({ error: 'must be text (put it in quotes)' });
const stdioSchema = z.object({
  command: text().min(1, 'must not be empty'),
  args: z.array(text(), { error: 'must be a list of strings' }).default([]),
  env: z.record(z.string(), text(), { error: 'must map names to text values' }).default({}),
  cwd: text().optional(),
  envFile: text().optional(),
});
const remoteSchema = z.object({
  url: text().min(1, 'must not be empty'),
  headers: z.record(z.string(), text(), { error: 'must map header names to text' }).optional(),
});

const REMOTE_TYPES = new Set(['http', 'sse', 'streamable-http', 'streamableHttp']);

/** Reads one server entry. Never throws: whatever is wrong with it ends up in `problems`. */
export function parseEntry(name: string, safeName: string, value: unknown, ctx: EntryContext): ImportedEntry {
  const base = { name, safeName, disabled: false, problems: [] as EntryProblem[], warnings: [] as string[] };
  const invalid = (message: string): ImportedEntry => ({
    ...base,
    kind: 'invalid',
    problems: [{ kind: 'invalid_entry', message: `server "${name}": ${message}` }],
  });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return invalid('must be an object with a "command" (stdio) or a "url" (remote)');
  const raw = value as Record<string, unknown>;
  base.disabled = raw.disabled === true;
  const type = raw.type;
  if (type !== undefined && type !== 'stdio' && !REMOTE_TYPES.has(type as string))
    return invalid(`type ${JSON.stringify(type)} is not one Switchboard knows (stdio, http, sse)`);

  const url = raw.url ?? raw.serverUrl;
  if (REMOTE_TYPES.has(type as string) || (raw.command === undefined && url !== undefined)) {
    const parsed = remoteSchema.safeParse({ url, headers: raw.headers });
    if (!parsed.success) return invalid(describeIssues(parsed.error));
    const { headers } = parsed.data;
    // Never connected to, so an unresolved placeholder in the URL is no problem: it is only displayed.
    const shown = maskTokens(resolvePlaceholders(parsed.data.url, ctx, 'url').masked);
    return {
      ...base,
      kind: 'remote',
      url: shown,
      transport: type === 'sse' ? 'sse' : type !== undefined ? 'http' : 'unspecified',
      headerNames: Object.keys(headers ?? {}),
      declared: { url: parsed.data.url, ...(typeof type === 'string' && { type }), ...(headers && { headers }) },
    };
  }
  if (raw.command === undefined) return invalid('has neither a "command" (stdio) nor a "url" (remote)');
  const parsed = stdioSchema.safeParse(raw);
  if (!parsed.success) return invalid(describeIssues(parsed.error));
  return resolveStdio({ ...base, kind: 'stdio' }, parsed.data, ctx);
}

type Declared = z.infer<typeof stdioSchema>;

function resolveStdio(
  base: Pick<ImportedStdioEntry, 'name' | 'safeName' | 'disabled' | 'problems' | 'warnings' | 'kind'>,
  declared: Declared,
  ctx: EntryContext,
): ImportedStdioEntry {
  const problems = base.problems;
  const needsInput: ClientInput[] = [];
  const resolve = (value: string, where: string) => {
    const r = resolvePlaceholders(value, ctx, where);
    problems.push(...r.problems);
    for (const input of r.needsInput) if (!needsInput.some((i) => i.id === input.id)) needsInput.push(input);
    return r;
  };

  const command = resolve(declared.command, 'command').value;
  const args = declared.args.map((a, i) => resolve(a, `args[${i}]`));
  const cwdText = declared.cwd === undefined ? undefined : resolve(declared.cwd, 'cwd');
  // An unresolved cwd is shown as written: joining it to a folder would hide the placeholder.
  const cwd = cwdText && (cwdText.problems.length ? cwdText.value : ctx.absolute(cwdText.value));

  const env = new Map<string, ImportedEnvVar>();
  if (declared.envFile !== undefined) {
    const file = resolve(declared.envFile, 'envFile');
    if (file.problems.length === 0) {
      for (const [name, value] of Object.entries(readEnvFile(ctx.absolute(file.value), ctx, problems)))
        env.set(name, { name, value, secret: isSecret(name, value), from: 'envFile' });
    }
  }
  // Written values win over the env file's, as in VS Code.
  for (const [name, written] of Object.entries(declared.env)) {
    const r = resolve(written, `env ${name}`);
    env.set(name, { name, value: r.value, secret: r.secret || isSecret(name, r.value), from: 'config' });
  }

  if (/^cmd(\.exe)?$/i.test(command) && /^\/c$/i.test(args[0]?.value ?? '') && ctx.platform !== 'win32')
    base.warnings.push(
      `"${command} /c" is a Windows wrapper and fails on this system; run "${args[1]?.value ?? 'the command'}" directly`,
    );
  return {
    ...base,
    command,
    args: args.map((a) => a.value),
    maskedArgs: args.map((a) => maskTokens(a.masked)),
    ...(cwd !== undefined && { cwd }),
    env: [...env.values()],
    needsInput,
    declared: {
      command: declared.command,
      args: declared.args,
      env: declared.env,
      ...(declared.cwd !== undefined && { cwd: declared.cwd }),
      ...(declared.envFile !== undefined && { envFile: declared.envFile }),
    },
  };
}

function readEnvFile(path: string, ctx: EntryContext, problems: EntryProblem[]): Record<string, string> {
  let content: string;
  try {
    content = ctx.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push({
      kind: 'env_file_unreadable',
      message: `envFile ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`}; create it or remove "envFile"`,
    });
    return {};
  }
  const { vars, badLines } = parseEnvFile(content);
  if (badLines.length > 0)
    problems.push({
      kind: 'env_file_unreadable',
      message: `envFile ${path}: line ${badLines.join(', ')} is not NAME=value; fix or remove it`,
    });
  return vars;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return where ? `${where.replace(/^\./, '')}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
