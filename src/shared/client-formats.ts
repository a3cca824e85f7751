/**
 * What an import of another MCP client's configuration looks like, shared by the engine (which reads and writes
 * the files) and the dashboard (which shows the preview). Pure types: no Node, no DOM.
 */

/** The clients whose `mcpServers` / `servers` files Switchboard reads and writes. */
export type ClientKind = 'claude-desktop' | 'cursor' | 'windsurf' | 'vscode';

export const clientLabels: Record<ClientKind, string> = {
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
  windsurf: 'Windsurf',
  vscode: 'VS Code',
};

/** A place a client keeps its configuration; `workspace` files live in a project folder. */
export interface ClientConfigLocation {
  client: ClientKind;
  scope: 'user' | 'workspace';
  path: string;
}

/** Why an entry cannot run as imported. Non-blocking remarks are `warnings` instead. */
export type EntryProblemKind =
  'invalid_entry' | 'unresolved_placeholder' | 'unknown_input' | 'env_file_unreadable' | 'unsupported_placeholder';

export interface EntryProblem {
  kind: EntryProblemKind;
  message: string;
}

/** A VS Code `inputs[]` item: the editor prompts for it; we ask the user in the import dialog instead. */
export interface ClientInput {
  id: string;
  type: string;
  description?: string;
  password: boolean;
  default?: string;
  options?: string[];
}

/** One variable of a server's environment after placeholders are resolved. */
export interface ImportedEnvVar {
  name: string;
  /** Placeholders that could not be resolved stay in the text as written; see the entry's problems. */
  value: string;
  /** A name like *_TOKEN, a value like `ghp_…`, or a value from a password input. Never show or log it. */
  secret: boolean;
  /** `envFile`: read from the entry's env file rather than written in the config. */
  from: 'config' | 'envFile';
}

interface EntryBase {
  /** The key in the client's file, exactly as the user wrote it (may contain spaces). */
  name: string;
  /** URL-safe and unique within one import: the name the gateway serves it under. */
  safeName: string;
  disabled: boolean;
  problems: EntryProblem[];
  /** Remarks that do not stop the entry from running (e.g. a Windows-only `cmd /c` wrapper on Linux). */
  warnings: string[];
}

/** The entry's fields as written in the file, placeholders intact: what an export writes back. */
export interface DeclaredStdio {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  envFile?: string;
}

export interface ImportedStdioEntry extends EntryBase {
  kind: 'stdio';
  /** Resolved: what would be spawned (without a shell). */
  command: string;
  args: string[];
  /** `args` for display: secret parts (password inputs, token-shaped values, URL passwords) are •••. */
  maskedArgs: string[];
  cwd?: string;
  env: ImportedEnvVar[];
  /** Inputs this entry uses that have no answer yet. */
  needsInput: ClientInput[];
  declared: DeclaredStdio;
}

/** A server reached over HTTP (`url`, `serverUrl`, `type: "http" | "sse"`): listed, never spawned. */
export interface ImportedRemoteEntry extends EntryBase {
  kind: 'remote';
  /** For display: placeholders resolved, token-shaped parts masked. `declared.url` is the URL as written. */
  url: string;
  transport: 'http' | 'sse' | 'unspecified';
  /** Header names only: their values are usually credentials. */
  headerNames: string[];
  declared: { url: string; type?: string; headers?: Record<string, string> };
}

/** Not an object, or neither a command nor a URL: nothing we can show beyond the problem. */
export interface ImportedInvalidEntry extends EntryBase {
  kind: 'invalid';
}

export type ImportedEntry = ImportedStdioEntry | ImportedRemoteEntry | ImportedInvalidEntry;

/** The result of reading one client file. Problems with the file itself (not JSON, no servers) go in `problems`. */
export interface ClientConfigImport {
  client: ClientKind;
  path?: string;
  entries: ImportedEntry[];
  /** VS Code `inputs[]`, so the dialog can ask for them and an export can keep them. */
  inputs: ClientInput[];
  problems: string[];
}

export type PreviewStatus = 'will-run' | 'disabled' | 'remote' | 'needs-input' | 'problem';

export const previewStatusLabels: Record<PreviewStatus, string> = {
  'will-run': 'will run',
  disabled: 'disabled',
  remote: 'remote, not run',
  'needs-input': 'needs input',
  problem: 'problem',
};

/** Exactly what one imported entry would run, with secrets masked, for a person to check before saving. */
export interface PreviewRow {
  name: string;
  safeName: string;
  status: PreviewStatus;
  /** Command and every argument, shell-quoted for display; secrets are •••. Empty for remote/invalid. */
  commandLine: string;
  cwd?: string;
  env: Array<{ name: string; value: string; secret: boolean; from: 'config' | 'envFile' }>;
  url?: string;
  needsInput: Array<{ id: string; description?: string; password: boolean }>;
  problems: string[];
  warnings: string[];
}
