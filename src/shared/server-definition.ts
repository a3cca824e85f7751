import { z } from 'zod';
import type { Result } from './index.js';

/**
 * The definition of one stdio MCP server as the registry stores it and the dashboard edits it. Pure TS + zod, so
 * the renderer validates a form with the same rules (and the same messages) as the engine.
 */

export const SERVER_NAME_MAX_LENGTH = 64;

/** Why `name` cannot be a server name, or null when it can. Names appear in URL paths (`/servers/<name>/mcp`). */
export function serverNameProblem(name: string): string | null {
  if (name.length === 0) return 'name must not be empty';
  if (/[^a-zA-Z0-9_.-]/.test(name)) return `name "${name}" may only contain letters, digits, "-", "_" and "."`;
  if (!/^[a-zA-Z0-9]/.test(name)) return `name "${name}" must start with a letter or a digit`;
  if (name.length > SERVER_NAME_MAX_LENGTH) {
    return `name "${name.slice(0, 24)}…" is ${name.length} characters long; use at most ${SERVER_NAME_MAX_LENGTH}`;
  }
  return null;
}

/** An absolute path on any OS: "/x", "C:\x", "C:/x" or "\\server\share". The engine checks that it exists. */
function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

const serverName = z.string({ error: 'name must be a string' }).superRefine((name, ctx) => {
  const problem = serverNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const envKey = z.string().superRefine((key, ctx) => {
  if (key.length === 0) ctx.addIssue({ code: 'custom', message: 'env names must not be empty' });
  else if (/[=\0]/.test(key))
    ctx.addIssue({ code: 'custom', message: `env name "${key}" must not contain "=" or NUL` });
});

const positiveMs = (what: string) =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int(`${what} must be a whole number of milliseconds`)
    .positive(`${what} must be greater than 0`);

const toolNames = (what: string) => z.array(z.string().min(1), { error: `${what} must be a list of tool names` });

export const serverOptionsSchema = z.strictObject(
  {
    timeouts: z
      .strictObject({
        /** Until the child answers `initialize`. */
        startupMs: positiveMs('options.timeouts.startupMs').optional(),
        /** Per request, extended by progress notifications. */
        requestMs: positiveMs('options.timeouts.requestMs').optional(),
        /** However much progress arrives. */
        maxRequestMs: positiveMs('options.timeouts.maxRequestMs').optional(),
      })
      .prefault({}),
    /** Overrides of the engine's restart policy; unset fields keep the engine's defaults. */
    restart: z
      .strictObject({
        enabled: z.boolean({ error: 'options.restart.enabled must be true or false' }).optional(),
        initialDelayMs: positiveMs('options.restart.initialDelayMs').optional(),
        maxDelayMs: positiveMs('options.restart.maxDelayMs').optional(),
        maxFailures: z.number().int().positive('options.restart.maxFailures must be at least 1').optional(),
        failureWindowMs: positiveMs('options.restart.failureWindowMs').optional(),
      })
      .prefault({}),
    /** `allow` (when set) lists the only tools clients see; `deny` hides tools. Names are exact tool names. */
    toolFilter: z
      .strictObject({
        allow: toolNames('options.toolFilter.allow').optional(),
        deny: toolNames('options.toolFilter.deny').optional(),
      })
      .prefault({}),
    /**
     * 'shared': one child serves every client session; 'per-session': each session gets its own child,
     * initialized with that client's own `initialize`; 'auto': shared until the server shows it needs a client of
     * its own (it asks a client something), then a child per new session.
     */
    sharing: z
      .enum(['auto', 'shared', 'per-session'], {
        error: 'options.sharing must be "auto", "shared" or "per-session"',
      })
      .default('auto'),
    /** Children a per-session server may run at once (one per client session); past it, new sessions are refused. */
    maxChildren: z
      .number({ error: 'options.maxChildren must be a number' })
      .int('options.maxChildren must be a whole number')
      .positive('options.maxChildren must be at least 1')
      .default(10),
    /** The roots Switchboard answers `roots/list` with for a shared child (none by default). */
    roots: z
      .array(
        z.strictObject({
          uri: z.string().startsWith('file://', 'options.roots[].uri must be a file:// URI'),
          name: z.string().optional(),
        }),
        { error: 'options.roots must be a list of { uri, name? }' },
      )
      .default([]),
    /** Pass the whole parent environment to the child instead of the allowlist. */
    passEnvironment: z.boolean({ error: 'options.passEnvironment must be true or false' }).default(false),
    /** stderr lines a second kept in the logs (with a 2 s burst); unset: the engine's default (5,000). */
    stderrLinesPerSecond: z
      .number({ error: 'options.stderrLinesPerSecond must be a number' })
      .int('options.stderrLinesPerSecond must be a whole number')
      .positive('options.stderrLinesPerSecond must be at least 1')
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown option ${quoteKeys(issue.keys)}` : undefined) },
);

function quoteKeys(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

export const serverDefinitionSchema = z
  .strictObject(
    {
      name: serverName,
      command: z
        .string({ error: 'command must be a string' })
        .trim()
        .min(1, 'command must not be empty: give the program to run, e.g. "npx" or an absolute path'),
      args: z.array(z.string(), { error: 'args must be a list of strings' }).default([]),
      env: z
        .record(envKey, z.string({ error: 'env values must be strings' }), {
          error: 'env must map names to string values',
        })
        .default({}),
      /** Names in `env` whose values are secrets: never shown in full, logged or exported. */
      secretEnvKeys: z.array(z.string(), { error: 'secretEnvKeys must be a list of env names' }).default([]),
      cwd: z
        .string()
        .refine(isAbsolutePath, { error: (iss) => `cwd "${String(iss.input)}" must be an absolute path` })
        .optional(),
      enabled: z.boolean({ error: 'enabled must be true or false' }).default(true),
      /** Start when Switchboard starts (when enabled); otherwise on the first client request. */
      autostart: z.boolean({ error: 'autostart must be true or false' }).default(true),
      options: serverOptionsSchema.prefault({}),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${quoteKeys(issue.keys)}` : undefined) },
  )
  .superRefine((def, ctx) => {
    for (const key of def.secretEnvKeys) {
      if (!(key in def.env)) {
        ctx.addIssue({
          code: 'custom',
          path: ['secretEnvKeys'],
          message: `secretEnvKeys lists "${key}", which is not set in env`,
        });
      }
    }
  });

export type ServerDefinition = z.output<typeof serverDefinitionSchema>;
export type ServerDefinitionInput = z.input<typeof serverDefinitionSchema>;
export type ServerOptions = z.output<typeof serverOptionsSchema>;

/** All problems, "; "-separated, each naming the field it is about (unless its message already starts with it). */
export function describeServerIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const last = String(issue.path.at(-1) ?? '');
      const named = issue.message.startsWith(path) || (last !== '' && issue.message.startsWith(last));
      return path && !named ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function parseServerDefinition(input: unknown): Result<ServerDefinition, 'invalid'> {
  const parsed = serverDefinitionSchema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, kind: 'invalid', message: describeServerIssues(parsed.error) };
}
