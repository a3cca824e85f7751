/**
 * What the dashboard's API (app-api.ts) takes and returns: views of servers, logs, traffic, the explorer, settings,
 * imports and the dev loop. Pure types: no Node, no DOM.
 */
import type { ClientKind, PreviewRow } from './client-formats.js';
import type { ServerDefinition } from './server-definition.js';

/**
 * A server's supervisor state. `degraded`: running, but not answering health pings. `installing`: a start that has
 * outlasted the handshake timeout while it fetches a package (`npx -y`, `uvx` …) or prints progress on its first
 * start; it may take minutes.
 */
export type ServerState =
  'stopped' | 'starting' | 'installing' | 'running' | 'degraded' | 'stopping' | 'backoff' | 'failed';

export interface ServerStatus {
  state: ServerState;
  /** Why it is in this state, in words: "exited with code 1; restarting in 2000 ms". */
  reason: string;
  since: number;
  pid: number | null;
  /** Last stderr lines when the state is a failure, or the install's progress while `installing`. */
  stderrTail?: string[];
}

/** A row of the servers list: the stored definition (secret env values masked) plus live status and numbers. */
export interface ServerView {
  definition: ServerDefinition;
  status: ServerStatus;
  stats: ServerStats;
  endpoints: { streamableHttp: string; sse: string };
  serverInfo: { name: string; version?: string; title?: string } | null;
  /** For an `auto` server that has decided: per-session from now on (or shared), why, and when (epoch ms). */
  sharingDecision?: { mode: 'shared' | 'per-session'; reason: string; at: number };
}

export interface ServerStats {
  uptimeSeconds: number;
  restarts: number;
  sessions: number;
  inflight: number;
  requestsPerSecond: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number } | null;
  cpuPercent: number | null;
  rssBytes: number | null;
}

export interface MetricsSnapshot {
  time: number;
  servers: Record<string, ServerStats & { state: ServerState }>;
  sessions: Array<{ server: string; session: string; clientName?: string; messages: number; errors: number }>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  time: number;
  level: LogLevel;
  /** 'engine', 'gateway', or a server's name for its own lines. */
  source: string;
  server?: string;
  /** true for a line the server wrote on stderr. */
  stderr?: boolean;
  message: string;
  fields?: Record<string, unknown>;
}

export interface LogQuery {
  server?: string;
  level?: LogLevel;
  /** In the message or the source, any case (toLowerCase folding), in recent lines and stored ones alike. */
  text?: string;
  sinceTime?: number;
  untilTime?: number;
  limit?: number;
}

export interface TrafficFrame {
  /** Unique and increasing within one run. */
  seq: number;
  time: number;
  direction: 'up' | 'down';
  server: string;
  session: string | null;
  clientName?: string;
  kind: 'request' | 'notification' | 'response';
  method?: string;
  clientId?: string | number | null;
  isError?: boolean;
  latencyMs?: number;
  size: number;
  /** Joins a request with its response. */
  pairKey?: string;
  payload: string;
  truncated?: boolean;
}

export interface TrafficQuery {
  server?: string;
  session?: string;
  clientName?: string;
  method?: string;
  errorsOnly?: boolean;
  sinceTime?: number;
  limit?: number;
}

export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface ToolCallResult {
  content: Array<Record<string, unknown>>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  latencyMs: number;
}

export interface ResourceInfo {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface ResourceTemplateInfo {
  uriTemplate: string;
  name: string;
  description?: string;
  mimeType?: string;
}

export interface PromptInfo {
  name: string;
  title?: string;
  description?: string;
  arguments?: Array<{ name: string; description?: string; required?: boolean }>;
}

/** What a server told the explorer's session in `initialize`: its name and what it offers. */
export interface ExplorerServerInfo {
  serverInfo: { name: string; version?: string; title?: string } | null;
  protocolVersion: string | null;
  /** The server's `capabilities`: the explorer lists only what is here (`tools`, `resources`, `prompts`). */
  capabilities: Record<string, unknown>;
  instructions?: string;
}

/** Whether a command would be found at spawn time, with the spawn doctor's advice when not. */
export type CommandCheck = { found: true; path: string } | { found: false; message: string; candidates: string[] };

/** Something a server sent the explorer's session: progress of a call, or a request for the user to answer. */
export type ExplorerEvent =
  | { kind: 'progress'; server: string; callId: string; progress: number; total?: number; message?: string }
  | {
      kind: 'request';
      server: string;
      /** The id to answer with `explorerAnswer`. */
      requestId: string;
      method: 'sampling/createMessage' | 'elicitation/create';
      params: Record<string, unknown>;
      /** The explorer call it arrived during, when there was one. */
      callId?: string;
    }
  /** The server withdrew its request, or the call it belonged to ended: the question is no longer open. */
  | { kind: 'requestClosed'; server: string; requestId: string; reason: string };

/** The user's answer to a server→client request: a result, or a JSON-RPC error (declined). */
export type ExplorerAnswer = { result: Record<string, unknown> } | { error: { code: number; message: string } };

export interface SettingsView {
  settings: AppSettings;
  /** Which layer set each key: "default", "stored", "set by TRANSPORT_SSE_PORT", "set by --port". */
  sources: Record<string, string>;
  /** Keys whose change needs an app restart to take effect. */
  needsRestart: string[];
}

export interface AppSettings {
  port: number;
  host: string;
  allowedOrigins: string[];
  passEnvironment: boolean;
  maxProcesses: number;
  logLevel: LogLevel;
  keepaliveIntervalMs: number;
  messageTimeoutMs: number;
  maxMessageBytes: number;
  retentionDays: number;
  startAtLogin: boolean;
  [key: string]: unknown;
}

export interface ConnectionInfo {
  baseUrl: string;
  /** null when auth is off. */
  token: string | null;
  /** The whole gateway (aggregate) and each server. */
  endpoints: Array<{ name: string | null; streamableHttp: string; sse: string }>;
  /** How a stdio-only client launches `switchboard connect` here (absolute paths); null when not known. */
  connectCommand?: { command: string; args: string[] } | null;
}

export interface ImportSource {
  client: ClientKind;
  /** A file to read; or `text` pasted by the user. */
  path?: string;
  text?: string;
  /** Answers for VS Code `${input:id}` placeholders. */
  answers?: Record<string, string>;
}

/** What the host adds to a preview row, checked on this machine: where its command is, and its final name. */
export interface ImportRowCheck {
  /** The spawn doctor's answer for the row's command, as the add form gets it (local rows only). */
  command?: CommandCheck;
  /** The name it will be saved under when that is not the entry's own, and why. */
  saveAs?: { name: string; reason: string };
}

export interface ImportPreview {
  client: ClientKind;
  path?: string;
  rows: PreviewRow[];
  problems: string[];
  /** By the row's `safeName`. */
  checks: Record<string, ImportRowCheck>;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  platform: string;
  terminalEnabled: boolean;
  dataDir: string;
}

/** The methods, each one narrow. Arguments and results are plain JSON. */
/** One start of a server as the developer's loop saw it: what it offered, and what changed since the run before. */
export interface SchemaRunView {
  id: number;
  time: number;
  /** No earlier run to compare with. */
  first: boolean;
  counts: { tools: number; resources: number; resourceTemplates: number; prompts: number };
  changes: Array<{
    kind: 'tool' | 'resource' | 'resourceTemplate' | 'prompt';
    name: string;
    change: 'added' | 'removed' | 'changed';
    /** For 'changed': one line per difference, e.g. `input.count: retyped string → number`. */
    details: string[];
  }>;
}

/** The dashboard's "restart on change" switch of one server. */
export interface RestartOnChangeView {
  enabled: boolean;
  /** The folder (or file) watched: the server's first file argument's folder, else its working directory. */
  paths: string[];
}

/** Something the live protocol linter found in what a server sent. */
export interface ProblemView {
  server: string;
  severity: 'error' | 'warning';
  /** e.g. `result-shape`, `non-json-stdout`, `undeclared-capability`. */
  rule: string;
  message: string;
  method?: string;
  /** The offending frame as the server sent it (cut to a readable length). */
  frame?: string;
  time: number;
  /** The traffic row that showed it; null for a line the router dropped (not JSON). */
  seq: number | null;
}
