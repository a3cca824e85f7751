import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import type { ClientConfigLocation, ClientKind } from '../../../shared/client-formats.js';
import type {
  ClientSetupPreview,
  ClientSetupRequest,
  ClientSetupState,
  ClientSetupStatus,
} from '../../../shared/client-setup.js';
import { lineDiff } from './line-diff.js';
import { MASK, isSecretName, maskTokens } from './secrets.js';

/** A planned edit: the preview, and the file's exact text before and after (engine-side only). */
export interface SetupPlan extends ClientSetupPreview {
  before: string;
  after: string;
}

/** The entry Switchboard writes into a client's file. */
export interface SwitchboardEntry {
  name: string;
  value: Record<string, unknown>;
}

/** How a client reaches Switchboard: `connect` for stdio-only clients, the HTTP endpoint for the others. */
export interface EntryInputs {
  baseUrl: string;
  token: string | null;
  /** `switchboard connect` as a client launches it (absolute paths); null when unknown on this host. */
  connectCommand: { command: string; args: string[] } | null;
}

export function switchboardEntry(client: ClientKind, i: EntryInputs, name = 'switchboard'): SwitchboardEntry {
  const url = `${i.baseUrl.replace(/\/$/, '')}/mcp`;
  const headers = i.token === null ? undefined : { Authorization: `Bearer ${i.token}` };
  switch (client) {
    case 'claude-desktop':
      // Claude Desktop only launches stdio servers. Without a known `connect` path there is no entry to write.
      if (!i.connectCommand) throw new SetupError('unavailable', 'the path of "switchboard connect" is not known here');
      return { name, value: { command: i.connectCommand.command, args: i.connectCommand.args } };
    case 'vscode':
      return { name, value: { type: 'http', url, ...(headers && { headers }) } };
    case 'windsurf':
      return { name, value: { serverUrl: url, ...(headers && { headers }) } };
    case 'cursor':
      return { name, value: { url, ...(headers && { headers }) } };
  }
}

export class SetupError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid' | 'unavailable' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** VS Code keeps servers under "servers"; the others under "mcpServers". */
export function serversKey(client: ClientKind): string {
  return client === 'vscode' ? 'servers' : 'mcpServers';
}

export interface ClientSetupDeps {
  /** Every place a client keeps its config on this machine (found or not). */
  locations(): ClientConfigLocation[];
  /** Backups live here (the data dir), not beside the user's file. */
  backupDir: string;
  entryFor(client: ClientKind): SwitchboardEntry;
  /** Which of `names` can move into Switchboard as they are (a dry run). */
  previewMove(location: ClientConfigLocation, names: string[]): Promise<Pick<ClientSetupPreview, 'moved' | 'notMoved'>>;
  /** Imports them; resolves with the names they got in Switchboard. */
  importServers(location: ClientConfigLocation, names: string[]): Promise<string[]>;
  removeServers(names: string[]): Promise<void>;
  now?: () => number;
}

interface BackupRecord {
  path: string;
  /** null: setup created the file; Undo deletes it. */
  text: string | null;
  createdAt: number;
  imported: string[];
}

/**
 * "Add Switchboard to this client": one small edit to the client's own config file (jsonc-parser's modify keeps
 * comments, key order and every other key), shown as a diff first, with a backup and an Undo. Only paths from
 * `locations()` are ever read or written, whatever the page asks for.
 */
export class ClientSetup {
  constructor(private readonly d: ClientSetupDeps) {}

  /** Locations whose file exists, or whose client folder does (installed, never configured), or with a backup. */
  list(): ClientSetupStatus[] {
    return this.d
      .locations()
      .filter((l) => existsSync(l.path) || existsSync(dirname(l.path)) || this.backup(l.path) !== null)
      .map((l) => this.status(l));
  }

  status(location: ClientConfigLocation): ClientSetupStatus {
    const exists = existsSync(location.path);
    const backup = this.backup(location.path);
    const base = {
      ...location,
      exists,
      backup: backup && {
        path: this.backupPath(location.path),
        createdAt: backup.createdAt,
        imported: backup.imported,
      },
    };
    let doc: Record<string, unknown>;
    try {
      doc = exists ? parseConfig(readFileSync(location.path, 'utf8')) : {};
    } catch (err) {
      return { ...base, state: 'unreadable', problem: (err as Error).message, ownServers: [] };
    }
    const entry = this.d.entryFor(location.client);
    const servers = (doc[serversKey(location.client)] ?? {}) as Record<string, unknown>;
    const current = servers[entry.name];
    const state: ClientSetupState =
      current === undefined ? 'not-connected' : sameJson(current, entry.value) ? 'connected' : 'outdated';
    const ownServers = Object.entries(servers)
      .filter(([name, v]) => name !== entry.name && isStdio(v))
      .map(([name]) => name);
    return { ...base, state, ownServers };
  }

  async preview(req: ClientSetupRequest): Promise<SetupPlan> {
    const location = this.location(req.path);
    const before = existsSync(location.path) ? readFileSync(location.path, 'utf8') : '';
    const { moved, notMoved } = req.moveServers?.length
      ? await this.d.previewMove(location, req.moveServers)
      : { moved: [], notMoved: [] };
    const entry = this.d.entryFor(location.client);
    const after = edited(before, location.client, entry, moved);
    return {
      path: location.path,
      before,
      after,
      diff: lineDiff(before, after).map((l) => ({ ...l, text: maskLine(l.text) })),
      entryName: entry.name,
      moved,
      notMoved,
    };
  }

  /** Imports what moves, writes the backup, then the file; a failed write takes the imported servers back out. */
  async apply(req: ClientSetupRequest): Promise<ClientSetupStatus> {
    const plan = await this.preview(req);
    const location = this.location(req.path);
    const imported = plan.moved.length ? await this.d.importServers(location, plan.moved) : [];
    try {
      const record: BackupRecord = {
        path: location.path,
        text: existsSync(location.path) ? plan.before : null,
        createdAt: (this.d.now ?? Date.now)(),
        imported,
      };
      mkdirSync(this.d.backupDir, { recursive: true, mode: 0o700 });
      // The backup holds the client's secrets as the client file did: owner-only.
      writeAtomically(this.backupPath(location.path), JSON.stringify(record, null, 2) + '\n', 0o600);
      mkdirSync(dirname(location.path), { recursive: true });
      writeAtomically(location.path, plan.after);
    } catch (err) {
      if (imported.length) await this.d.removeServers(imported).catch(() => {});
      throw err;
    }
    return this.status(location);
  }

  /** Puts the file back as it was before the last setup, and takes out the servers that setup imported. */
  async undo(path: string): Promise<ClientSetupStatus> {
    const location = this.location(path);
    const backup = this.backup(location.path);
    if (!backup) throw new SetupError('not_found', `there is no setup to undo for ${location.path}`);
    if (backup.text === null) rmSync(location.path, { force: true });
    else writeAtomically(location.path, backup.text);
    if (backup.imported.length) await this.d.removeServers(backup.imported);
    rmSync(this.backupPath(location.path), { force: true });
    return this.status(location);
  }

  private location(path: string): ClientConfigLocation {
    const found = this.d.locations().find((l) => l.path === path);
    if (!found) throw new SetupError('not_found', `${path} is not a client config location Switchboard knows`);
    return found;
  }

  private backupPath(path: string): string {
    const id = createHash('sha256').update(path).digest('hex').slice(0, 16);
    return join(this.d.backupDir, `${id}.json`);
  }

  private backup(path: string): BackupRecord | null {
    try {
      const record = JSON.parse(readFileSync(this.backupPath(path), 'utf8')) as BackupRecord;
      return record.path === path ? record : null;
    } catch {
      return null;
    }
  }
}

/** The file with the Switchboard entry set and the moved entries removed: the smallest edit jsonc can make. */
export function edited(text: string, client: ClientKind, entry: SwitchboardEntry, remove: string[]): string {
  const source = text.trim() === '' ? '{}\n' : text;
  parseConfig(source); // refuse to edit what we cannot read
  const formattingOptions = { insertSpaces: !/^\t/m.test(source), tabSize: indentOf(source), eol: eolOf(source) };
  const key = serversKey(client);
  let out = source;
  for (const name of remove) out = applyEdits(out, modify(out, [key, name], undefined, { formattingOptions }));
  out = applyEdits(out, modify(out, [key, entry.name], entry.value, { formattingOptions }));
  return out;
}

/** A diff line for display: token-shaped values, and values of keys named like secrets, are •••. */
function maskLine(line: string): string {
  const pair = /("([^"]+)"\s*:\s*")((?:[^"\\]|\\.)+)(")/g;
  return maskTokens(line).replace(pair, (all, head: string, key: string, value: string, tail: string) =>
    isSecretName(key) && !/^\$\{[^}]+\}$/.test(value) ? `${head}${MASK}${tail}` : all,
  );
}

function parseConfig(text: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const doc = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length) throw new SetupError('invalid', `not valid JSON (error at offset ${errors[0]!.offset})`);
  if (doc === undefined) return {};
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new SetupError('invalid', 'not a JSON object');
  return doc as Record<string, unknown>;
}

function isStdio(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { command?: unknown }).command === 'string';
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function indentOf(text: string): number {
  const m = /^( +)\S/m.exec(text);
  return m ? m[1]!.length : 2;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function writeAtomically(path: string, text: string, mode?: number): void {
  const temp = `${path}.${process.pid}.switchboard-tmp`;
  writeFileSync(temp, text, mode === undefined ? undefined : { mode });
  renameSync(temp, path);
}
