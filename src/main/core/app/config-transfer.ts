import { homedir } from 'node:os';
import type { ImportPreview, ImportSource } from '../../../shared/app-api.js';
import type { ClientKind } from '../../../shared/client-formats.js';
import type { ServerDefinition } from '../../../shared/server-definition.js';
import {
  discoverClientConfigs,
  exportClientConfig,
  parseClientConfig,
  previewImport,
  readClientConfig,
} from '../config/client-configs.js';
import type { Engine } from '../engine.js';
import type { Store } from '../store/index.js';
import { appError, unwrap } from './app-error.js';
import { envOf, isStdio, previewChecks, saveNames } from './import-flow.js';
import { validateServer } from './server-input.js';

/**
 * Servers in and out of other MCP clients' config files: finding those files, previewing and importing their
 * entries as servers of this engine, and writing this engine's servers in a client's format.
 */

/** What an import saves into and starts on: the running engine, and the store when the host has one. */
export interface TransferTarget {
  engine: Engine;
  store: Store | null;
}

/** The MCP client config files found on this machine, for the import dialog to offer. */
export function discoverConfigs() {
  return discoverClientConfigs(homedir(), process.platform, process.env);
}

/** Every entry of the source as it would be imported, with the spawn doctor's checks and any renames. */
export function previewConfigImport(
  source: ImportSource,
  taken: Iterable<string>,
  passEnvironment: boolean,
): ImportPreview {
  const imported = readSource(source);
  return {
    client: imported.client,
    path: imported.path,
    rows: previewImport(imported),
    problems: imported.problems,
    checks: previewChecks(imported, taken, passEnvironment),
  };
}

/**
 * Saves every chosen entry first, then starts them all at once and answers without waiting: an `npx -y`
 * install can take minutes, and one server failing must not hold up (or undo) the others. The page follows
 * each one through its state events. Answers the definitions saved, in the config's order.
 */
export async function importServers(
  { engine, store }: TransferTarget,
  source: ImportSource,
  names: string[],
): Promise<ServerDefinition[]> {
  const imported = readSource(source);
  const chosen = imported.entries.filter(isStdio).filter((e) => names.includes(e.safeName));
  const blocked = chosen.filter((e) => e.problems.length > 0 || e.needsInput.length > 0);
  if (blocked.length > 0) {
    const first = blocked[0]!;
    const why = first.problems[0]?.message ?? `needs a value for input "${first.needsInput[0]?.id}"`;
    throw appError('invalid', `"${first.name}" cannot be imported as it is: ${why}`);
  }
  const saveAs = saveNames(chosen, engine.servers.keys());
  const defs = chosen.map((entry) =>
    validateServer({
      name: saveAs.get(entry)!.name,
      command: entry.command,
      args: entry.args,
      env: envOf(entry),
      secretEnvKeys: entry.env.filter((v) => v.secret).map((v) => v.name),
      ...(entry.cwd ? { cwd: entry.cwd } : {}),
      enabled: !entry.disabled,
    }),
  );
  if (store) {
    const saved: string[] = [];
    for (const def of defs) {
      const added = store.servers.add(def);
      if (!added.ok) saved.forEach((name) => store.servers.remove(name));
      unwrap(added);
      saved.push(def.name);
    }
  }
  for (const def of defs) {
    // addServer registers the server before its first await; the start it then awaits is followed by events.
    const taken = engine.servers.has(def.name);
    const adding = engine.addServer(def);
    if (!taken && engine.servers.has(def.name)) {
      void adding.catch(() => {});
      continue;
    }
    await adding.catch((err: Error) => {
      store?.servers.remove(def.name);
      throw err;
    });
  }
  return defs;
}

/** The engine's servers (all, or the named ones) as a client's config text, with notes on what to fill in. */
export function exportServers(
  engine: Engine,
  client: ClientKind,
  names?: string[],
  options?: { includeSecrets?: boolean },
): { text: string; notes: string[] } {
  const servers = [...engine.servers.values()]
    .filter((s) => !names || names.includes(s.name))
    .map(({ definition: d }) => ({
      name: d.name,
      command: d.command,
      args: d.args,
      env: d.env,
      secretEnvKeys: d.secretEnvKeys,
      ...(d.cwd ? { cwd: d.cwd } : {}),
      ...(d.enabled ? {} : { disabled: true }),
    }));
  // Only an explicit `true` writes secret values: the page's argument arrives as JSON from a browser.
  const exported = exportClientConfig(client, servers, { includeSecrets: options?.includeSecrets === true });
  if (!exported.ok) throw appError('invalid', exported.message);
  return { text: exported.value.text, notes: exported.value.notes };
}

function readSource(source: ImportSource) {
  const options = { client: source.client, env: process.env, answers: source.answers, home: homedir() };
  if (source.path) return readClientConfig(source.path, options);
  if (typeof source.text === 'string') return parseClientConfig(source.text, options);
  throw appError('invalid', 'give a file path or the text of a config to import');
}
