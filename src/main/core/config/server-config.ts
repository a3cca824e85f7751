import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/** One stdio server as Switchboard runs it. */
export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  passEnvironment?: boolean;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;

const stdioEntry = z.object({
  command: z.string().min(1, 'command must not be empty'),
  args: z.array(z.string(), { error: 'args must be a list of strings' }).default([]),
  env: z.record(z.string(), z.string(), { error: 'env must map names to string values' }).default({}),
  cwd: z.string().optional(),
  disabled: z.boolean().optional(),
  passEnvironment: z.boolean().optional(),
});

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
  /** Entries that were not loaded, and why (remote servers, disabled ones). */
  skipped: Array<{ name: string; reason: string }>;
}

/**
 * Reads a Claude Desktop style `mcpServers` file. A relative `cwd` is taken from the file's folder; remote
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
  const servers: ServerSpec[] = [];
  const skipped: LoadedConfig['skipped'] = [];
  const used = new Set<string>();
  for (const [original, value] of Object.entries(file.data.mcpServers)) {
    const entry = value as Record<string, unknown> | null;
    if (entry && typeof entry === 'object' && ('url' in entry || 'serverUrl' in entry) && !('command' in entry)) {
      skipped.push({ name: original, reason: 'remote server (url): not a stdio server, nothing to run' });
      continue;
    }
    const parsed = stdioEntry.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConfigError(`${path}: server "${original}": ${issue.path.join('.') || 'entry'}: ${issue.message}`);
    }
    if (parsed.data.disabled) {
      skipped.push({ name: original, reason: 'disabled' });
      continue;
    }
    let name = urlSafeName(original);
    for (let i = 2; used.has(name); i++) name = `${urlSafeName(original)}-${i}`;
    used.add(name);
    servers.push({
      name,
      command: parsed.data.command,
      args: parsed.data.args,
      env: parsed.data.env,
      cwd: parsed.data.cwd === undefined ? undefined : resolve(dirname(resolve(path)), parsed.data.cwd),
      passEnvironment: parsed.data.passEnvironment,
    });
  }
  return { servers, skipped };
}
