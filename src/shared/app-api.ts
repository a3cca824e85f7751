/**
 * The one API the dashboard talks to, defined once. The Electron preload implements it over IPC, the web bridge
 * client over HTTP + SSE, and the engine's AppService behind both. Pure types and constants: no Node, no DOM.
 *
 * Every method returns a promise. A failure crosses the boundary as `{ kind, message }` (see `AppErrorShape`) and
 * reaches the page as a thrown `AppError` whose message a person can read and act on.
 */
import type { ClientConfigLocation, ClientKind, PreviewRow } from './client-formats.js';
import type { ServerDefinition, ServerDefinitionInput } from './server-definition.js';
import type { CatalogPage, CatalogQuery } from './catalog.js';
import type { ClientSetupPreview, ClientSetupRequest, ClientSetupStatus } from './client-setup.js';

/** `installing`: a start past the handshake timeout while it fetches a package (`npx -y`, `uvx` …); minutes. */
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

export interface AppApi {
  getAppInfo(): Promise<AppInfo>;
  getConnectionInfo(): Promise<ConnectionInfo>;

  listServers(): Promise<ServerView[]>;
  addServer(definition: ServerDefinitionInput): Promise<ServerView>;
  updateServer(name: string, definition: ServerDefinitionInput): Promise<ServerView>;
  removeServer(name: string): Promise<void>;
  setServerEnabled(name: string, enabled: boolean): Promise<ServerView>;
  startServer(name: string): Promise<ServerView>;
  stopServer(name: string): Promise<ServerView>;
  restartServer(name: string): Promise<ServerView>;
  /** `auto` sharing: forget that the server needed a child per session; new sessions share its child again. */
  resetSharingDecision(name: string): Promise<ServerView>;
  /** Adds the small example server shipped with Switchboard, for a first run. */
  addDemoServer(): Promise<ServerView>;

  discoverClientConfigs(): Promise<ClientConfigLocation[]>;
  /** Reads a client config and shows exactly what would run. Spawns and saves nothing. */
  previewImport(source: ImportSource): Promise<ImportPreview>;
  /**
   * Saves the chosen entries (by their safe names) as servers, disabled-or-not as previewed, under the names the
   * preview's `saveAs` gave, in the config's order. Answers once they are saved: the enabled ones are starting,
   * all at once; each one's progress and outcome arrive as `serverState` events.
   */
  importConfig(source: ImportSource, names: string[]): Promise<ServerView[]>;
  /**
   * The servers (all, or the named ones) in a client's format, as text to copy or save. Secret env values are left
   * out unless `includeSecrets` (VS Code: `${input:…}` prompts; others: `<set KEY>`); `notes` says what to fill in.
   */
  exportConfig(
    client: ClientKind,
    names?: string[],
    options?: { includeSecrets?: boolean },
  ): Promise<{ text: string; notes: string[] }>;

  /** The clients found on this machine and whether each already reaches Switchboard. */
  listClientSetups(): Promise<ClientSetupStatus[]>;
  /** The edit "Add Switchboard to this client" would make, as a diff. Writes nothing. */
  previewClientSetup(request: ClientSetupRequest): Promise<ClientSetupPreview>;
  /** Makes that edit (backup first), importing the servers asked to move. */
  applyClientSetup(request: ClientSetupRequest): Promise<ClientSetupStatus>;
  /** Restores the file from the last setup's backup and removes the servers it imported. */
  undoClientSetup(path: string): Promise<ClientSetupStatus>;
  /** A page of the MCP registry's servers (fetched engine-side), with how to run each. */
  searchCatalog(query: CatalogQuery): Promise<CatalogPage>;

  listTools(server: string): Promise<ToolInfo[]>;
  /** `callId` (unique per server, chosen by the page) names the call for progress events and `explorerCancel`. */
  callTool(server: string, name: string, args: Record<string, unknown>, callId?: string): Promise<ToolCallResult>;
  listResources(server: string): Promise<ResourceInfo[]>;
  listResourceTemplates(server: string): Promise<ResourceTemplateInfo[]>;
  readResource(server: string, uri: string): Promise<{ contents: Array<Record<string, unknown>> }>;
  listPrompts(server: string): Promise<PromptInfo[]>;
  getPrompt(server: string, name: string, args: Record<string, string>): Promise<Record<string, unknown>>;
  /** Joins the server as the explorer's own client session (sampling, elicitation and roots declared). */
  explorerOpen(server: string): Promise<ExplorerServerInfo>;
  /** Cancels an explorer call in flight (`notifications/cancelled` to the server); the call fails at once. */
  explorerCancel(server: string, callId: string): Promise<void>;
  /** Answers a sampling or elicitation request the server sent the explorer. */
  explorerAnswer(server: string, requestId: string, answer: ExplorerAnswer): Promise<void>;
  /** Leaves the server: the explorer was closed. */
  explorerClose(server: string): Promise<void>;
  /** Finds `command` as the spawn would (PATH from `env`, else the host's), without running it. */
  checkCommand(command: string, env?: Record<string, string>, cwd?: string): Promise<CommandCheck>;

  queryLogs(query: LogQuery): Promise<LogLine[]>;
  queryTraffic(query: TrafficQuery): Promise<TrafficFrame[]>;
  exportTraffic(query: TrafficQuery): Promise<{ jsonl: string }>;
  getMetrics(): Promise<MetricsSnapshot>;

  getSettings(): Promise<SettingsView>;
  updateSettings(patch: Partial<AppSettings>): Promise<SettingsView>;
  regenerateToken(): Promise<ConnectionInfo>;

  terminalOpen(server: string, cols: number, rows: number): Promise<{ id: string }>;
  terminalWrite(id: string, data: string): Promise<void>;
  terminalResize(id: string, cols: number, rows: number): Promise<void>;
  terminalClose(id: string): Promise<void>;

  /** The developer's loop: a server's last runs (newest first) with what changed in its interface each time. */
  getSchemaHistory(server: string, limit?: number): Promise<SchemaRunView[]>;
  /** What the live protocol linter found, for one server or all, oldest first. */
  getProblems(server?: string): Promise<ProblemView[]>;
  clearProblems(server: string): Promise<void>;
  /** Whether the server restarts when its files change (for this run of the host), and what is watched. */
  getRestartOnChange(server: string): Promise<RestartOnChangeView>;
  setRestartOnChange(server: string, enabled: boolean): Promise<RestartOnChangeView>;
}

export type AppMethod = keyof AppApi;

/** Every method name, in one list: the preload, the web client and the bridges are checked against it. */
export const appMethods = [
  'getAppInfo',
  'getConnectionInfo',
  'listServers',
  'addServer',
  'updateServer',
  'removeServer',
  'setServerEnabled',
  'startServer',
  'stopServer',
  'restartServer',
  'resetSharingDecision',
  'addDemoServer',
  'discoverClientConfigs',
  'previewImport',
  'importConfig',
  'exportConfig',
  'listClientSetups',
  'previewClientSetup',
  'applyClientSetup',
  'undoClientSetup',
  'searchCatalog',
  'listTools',
  'callTool',
  'listResources',
  'listResourceTemplates',
  'readResource',
  'listPrompts',
  'getPrompt',
  'explorerOpen',
  'explorerCancel',
  'explorerAnswer',
  'explorerClose',
  'checkCommand',
  'queryLogs',
  'queryTraffic',
  'exportTraffic',
  'getMetrics',
  'getSettings',
  'updateSettings',
  'regenerateToken',
  'terminalOpen',
  'terminalWrite',
  'terminalResize',
  'terminalClose',
  'getSchemaHistory',
  'getProblems',
  'clearProblems',
  'getRestartOnChange',
  'setRestartOnChange',
] as const satisfies readonly AppMethod[];

/** Methods the web bridge refuses unless the host was started with --enable-terminal. */
export const terminalMethods: readonly AppMethod[] = [
  'terminalOpen',
  'terminalWrite',
  'terminalResize',
  'terminalClose',
];

/** Events pushed to the page, batched by the host (about 10 batches a second). */
export interface AppEvents {
  serverState: { server: string } & ServerStatus;
  /** The server list changed (added, removed, updated). */
  serversChanged: { names: string[] };
  logs: LogLine[];
  traffic: TrafficFrame[];
  metrics: MetricsSnapshot;
  terminalData: { id: string; data: string };
  terminalExit: { id: string; code: number | null };
  /** Something the user should see that is not tied to an action: store degraded, settings ignored. */
  warning: { message: string };
  /** Progress and server→client requests for the explorer's sessions. */
  explorer: ExplorerEvent;
  /**
   * Page-side only, never sent by a host: the bridge's own link to the host dropped (`lost`, with when it tries
   * again) or came back (`online`; everything the page shows must then be read again).
   */
  connection: { state: 'online' | 'lost'; attempt?: number; retryInMs?: number };
}

export type AppEventName = keyof AppEvents;

export const appEventNames = [
  'serverState',
  'serversChanged',
  'logs',
  'traffic',
  'metrics',
  'terminalData',
  'terminalExit',
  'warning',
  'explorer',
] as const satisfies readonly AppEventName[];

/** What the page gets: the methods plus a typed subscription that returns its own unsubscribe. */
export interface AppBridge extends AppApi {
  on<E extends AppEventName>(event: E, listener: (payload: AppEvents[E]) => void): () => void;
}

export type AppErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'forbidden'
  | 'spawn_failed'
  | 'timeout'
  | 'server_error'
  | 'internal';

export interface AppErrorShape {
  kind: AppErrorKind;
  message: string;
}

/** Thrown on the page side for a failed call; `kind` is for code, `message` for people. */
export class AppError extends Error implements AppErrorShape {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The wire form of one call's outcome, on IPC and HTTP alike. */
export type AppReply<T = unknown> = { ok: true; value: T } | ({ ok: false } & AppErrorShape);
