import type { ImportRowCheck } from '../../../shared/app-api.js';
import type { ClientConfigImport, ImportedEntry, ImportedStdioEntry } from '../../../shared/client-formats.js';
import { urlSafeName } from '../config/server-config.js';
import { checkCommand } from './command-check.js';

/**
 * The parts of an import that need this machine: where each entry's command is (so `uvx` that is not installed
 * is not previewed as "will run"), and the name each entry gets when its own is taken (never renamed silently).
 */

/** The entries an import can save: local commands, whatever else the preview said. */
export function isStdio(entry: ImportedEntry): entry is ImportedStdioEntry {
  return entry.kind === 'stdio';
}

export function envOf(entry: ImportedStdioEntry): Record<string, string> {
  return Object.fromEntries(entry.env.map((v) => [v.name, v.value]));
}

/**
 * The name each local entry is saved under, in the config's order: its safe name, or the first free `name-N`
 * when a server of that name exists (or an earlier entry of this import took it), with the reason.
 */
export function saveNames(
  entries: ImportedStdioEntry[],
  taken: Iterable<string>,
): Map<ImportedStdioEntry, { name: string; reason?: string }> {
  const used = new Set(taken);
  const names = new Map<ImportedStdioEntry, { name: string; reason?: string }>();
  for (const entry of entries) {
    let name = entry.safeName;
    for (let i = 2; used.has(name); i++) name = `${entry.safeName}-${i}`;
    used.add(name);
    const reason =
      name !== entry.safeName
        ? `a server named "${entry.safeName}" already exists`
        : name === entry.name
          ? undefined
          : urlSafeName(entry.name) === entry.name
            ? `another entry of this config is also named "${entry.name}"`
            : 'server names may only use letters, digits, ".", "-" and "_"';
    names.set(entry, reason ? { name, reason } : { name });
  }
  return names;
}

/** Per preview row (by safe name): the spawn doctor's answer for its command, and its final name if it changes. */
export function previewChecks(
  imported: ClientConfigImport,
  taken: Iterable<string>,
  passEnvironment: boolean,
): Record<string, ImportRowCheck> {
  const local = imported.entries.filter(isStdio);
  const names = saveNames(local, taken);
  const checks: Record<string, ImportRowCheck> = {};
  for (const entry of local) {
    const check: ImportRowCheck = {};
    // An unanswered ${input:…} in the command cannot be looked up yet; the row already asks for it.
    if (entry.command && entry.needsInput.length === 0) {
      check.command = checkCommand(entry.command, envOf(entry), entry.cwd, passEnvironment);
    }
    const saved = names.get(entry)!;
    if (saved.reason) check.saveAs = { name: saved.name, reason: saved.reason };
    checks[entry.safeName] = check;
  }
  return checks;
}
