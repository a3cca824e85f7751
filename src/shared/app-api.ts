/**
 * The one API the dashboard talks to, defined once. The Electron preload implements it over IPC, the web bridge
 * client over HTTP + SSE, and the engine's AppService behind both. Pure types and constants: no Node, no DOM.
 *
 * Every method returns a promise. A failure crosses the boundary as `{ kind, message }` (see `AppErrorShape`) and
 * reaches the page as a thrown `AppError` whose message a person can read and act on.
 */
import type { ClientConfigLocation, ClientKind } from './client-formats.js';
import type { ServerDefinitionInput } from './server-definition.js';
import type { CatalogPage, CatalogQuery } from './catalog.js';
import type { ClientSetupPreview, ClientSetupRequest, ClientSetupStatus } from './client-setup.js';
import type {
  ServerStatus,
  ServerView,
  MetricsSnapshot,
  LogLine,
  LogQuery,
  TrafficFrame,
  TrafficQuery,
  ToolInfo,
  ToolCallResult,
  ResourceInfo,
  ResourceTemplateInfo,
  PromptInfo,
  ExplorerServerInfo,
  CommandCheck,
  ExplorerEvent,
  ExplorerAnswer,
  SettingsView,
  AppSettings,
  ConnectionInfo,
  ImportSource,
  ImportPreview,
  AppInfo,
  SchemaRunView,
  RestartOnChangeView,
  ProblemView,
} from './app-views.js';

// The views it takes and returns live in app-views.ts; importers of this module get them from here as before.
export type * from './app-views.js';

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
