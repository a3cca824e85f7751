import type { ClientConfigImport, ImportedEntry, PreviewRow, PreviewStatus } from '../../../shared/client-formats.js';
import { MASK, maskTokens } from './secrets.js';

/**
 * Exactly what each imported entry would run, for a person to check before anything is saved or spawned: the
 * full command line, the working folder, every env name (secret values as •••) and a status. Pure: reads no
 * file, starts no process.
 */
export function previewImport(result: ClientConfigImport): PreviewRow[] {
  return result.entries.map(previewEntry);
}

export function previewEntry(entry: ImportedEntry): PreviewRow {
  const row: PreviewRow = {
    name: entry.name,
    safeName: entry.safeName,
    status: statusOf(entry),
    commandLine: '',
    env: [],
    needsInput: [],
    problems: entry.problems.map((p) => p.message),
    warnings: entry.warnings,
  };
  if (entry.kind === 'remote') row.url = entry.url;
  if (entry.kind !== 'stdio') return row;
  row.commandLine = [maskTokens(entry.command), ...entry.maskedArgs].map(quoteForDisplay).join(' ');
  if (entry.cwd !== undefined) row.cwd = entry.cwd;
  row.env = entry.env.map((v) => ({ name: v.name, value: v.secret ? MASK : v.value, secret: v.secret, from: v.from }));
  row.needsInput = entry.needsInput.map((i) => ({
    id: i.id,
    ...(i.description !== undefined && { description: i.description }),
    password: i.password,
  }));
  return row;
}

/**
 * Remote and disabled say why nothing runs, whatever else is wrong; a missing input answer is its own status
 * because the dialog can fix it on the spot; any other problem blocks the entry.
 */
export function statusOf(entry: ImportedEntry): PreviewStatus {
  if (entry.kind === 'remote') return 'remote';
  if (entry.disabled) return 'disabled';
  if (entry.problems.length > 0) return 'problem';
  if (entry.kind === 'stdio' && entry.needsInput.length > 0) return 'needs-input';
  return 'will-run';
}

// Characters that read the same quoted or not in a POSIX shell (plus • so masked values stay readable).
const PLAIN = /^[A-Za-z0-9_@%+=:,./•-]+$/;

/** One argument as a POSIX shell would need it written: unambiguous about spaces, quotes and empty strings. */
export function quoteForDisplay(arg: string): string {
  if (PLAIN.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
