import type {
  AppApi,
  AppInfo,
  CommandCheck,
  ConnectionInfo,
  ExplorerAnswer,
  ImportPreview,
  ImportSource,
  LogQuery,
  ServerView,
  TrafficQuery,
} from '../../../shared/app-api.js';
import type { ClientKind } from '../../../shared/client-formats.js';
import type { ServerDefinitionInput } from '../../../shared/server-definition.js';
import type { CatalogPage, CatalogQuery } from '../../../shared/catalog.js';
import type { ClientSetupPreview, ClientSetupRequest, ClientSetupStatus } from '../../../shared/client-setup.js';
import { cliConnectCommand } from '../config/client-setup-service.js';
import { VERSION, type Engine } from '../engine.js';
import type { Store } from '../store/index.js';
import { DevLoop } from '../devloop/dev-loop.js';
import { appError, unwrap } from './app-error.js';
import { checkCommand } from './command-check.js';
import { discoverConfigs, exportServers, importServers, previewConfigImport } from './config-transfer.js';
import { Explorer } from './explorer.js';
import { exportTraffic, queryLogs, queryTraffic } from './history.js';
import { Onboarding } from './onboarding.js';
import { validateServer } from './server-input.js';
import type { SettingsControl } from './settings-control.js';
import type { TelemetryHub } from './telemetry-hub.js';
import type { TerminalManager } from './terminal-manager.js';
import { metricsView, serverView, unmaskEnv } from './views.js';

export interface AppServiceOptions {
  engine: Engine;
  store: Store | null;
  telemetry: TelemetryHub;
  settings: SettingsControl;
  terminals: TerminalManager | null;
  host: AppInfo['host'];
  dataDir: string;
  /** How to run the demo server shipped with Switchboard (node, or Electron as node). */
  demo: Pick<ServerDefinitionInput, 'command' | 'args' | 'env'>;
  /** How clients launch `switchboard connect` here; default: this process's CLI script, when it is one. */
  connectCommand?: { command: string; args: string[] } | null;
}

/**
 * The engine behind AppApi, for every host. Each method is one step: validate, persist (when there is a store),
 * apply to the running engine, answer with fresh views. Failures carry a kind and a message a person can act on.
 */
export class AppService implements AppApi {
  /** The explorer's client sessions, one per server it is open on; its events go to the page. */
  readonly explorer: Explorer;

  /** Schema diff after each start and the live protocol linter (issue 13). */
  readonly devloop: DevLoop;

  /** Client setup and the catalog, each built on first use. */
  private readonly onboarding: Onboarding;

  constructor(private readonly o: AppServiceOptions) {
    this.devloop = new DevLoop({
      engine: o.engine,
      telemetry: o.telemetry,
      databaseFile: o.store?.file ?? null,
      logger: o.engine.options.logger,
    });
    this.explorer = new Explorer({
      lookup: (server) => {
        const { router, definition } = this.o.engine.require(server);
        return { router, roots: (definition.options as { roots?: Array<{ uri: string; name?: string }> }).roots ?? [] };
      },
    });
    this.onboarding = new Onboarding({
      service: this,
      settings: o.settings,
      dataDir: o.dataDir,
      entryInputs: () => ({ baseUrl: o.engine.url, token: o.settings.token(), connectCommand: this.connectCommand() }),
    });
  }

  async getAppInfo(): Promise<AppInfo> {
    const { host, dataDir, terminals } = this.o;
    return { version: VERSION, host, platform: process.platform, terminalEnabled: terminals !== null, dataDir };
  }

  async getConnectionInfo(): Promise<ConnectionInfo> {
    const base = this.o.engine.url;
    return {
      baseUrl: base,
      token: this.o.settings.token(),
      connectCommand: this.connectCommand(),
      endpoints: [
        { name: null, streamableHttp: `${base}/mcp`, sse: `${base}/sse` },
        ...[...this.o.engine.servers.keys()].map((n) => ({
          name: n,
          streamableHttp: `${base}/servers/${encodeURIComponent(n)}/mcp`,
          sse: `${base}/servers/${encodeURIComponent(n)}/sse`,
        })),
      ],
    };
  }

  // ---- servers ---------------------------------------------------------------------------------------------

  async listServers(): Promise<ServerView[]> {
    return [...this.o.engine.servers.keys()].map((name) => this.view(name));
  }

  async addServer(input: ServerDefinitionInput): Promise<ServerView> {
    const def = validateServer(input);
    if (this.o.engine.servers.has(def.name)) throw appError('conflict', `a server named "${def.name}" already exists`);
    if (this.o.store) unwrap(this.o.store.servers.add(def));
    try {
      await this.o.engine.addServer(def);
    } catch (err) {
      this.o.store?.servers.remove(def.name);
      throw err;
    }
    return this.view(def.name);
  }

  async updateServer(name: string, input: ServerDefinitionInput): Promise<ServerView> {
    const previous = this.o.engine.require(name).definition;
    const def = validateServer({ ...input, env: unmaskEnv(input.env ?? {}, previous.env) });
    if (this.o.store) unwrap(this.o.store.servers.update(name, def));
    await this.o.engine.updateServer(name, def);
    return this.view(def.name);
  }

  async removeServer(name: string): Promise<void> {
    this.o.engine.require(name);
    if (this.o.store) unwrap(this.o.store.servers.remove(name));
    await this.o.engine.removeServer(name);
  }

  async setServerEnabled(name: string, enabled: boolean): Promise<ServerView> {
    const def = this.o.engine.require(name).definition;
    return this.updateServer(name, { ...def, enabled });
  }

  async startServer(name: string): Promise<ServerView> {
    try {
      await this.o.engine.startServer(name);
    } catch (err) {
      if ((err as { kind?: string }).kind) throw err;
      throw appError('spawn_failed', (err as Error).message);
    }
    return this.view(name);
  }

  async stopServer(name: string): Promise<ServerView> {
    await this.o.engine.stopServer(name);
    return this.view(name);
  }

  async restartServer(name: string): Promise<ServerView> {
    await this.o.engine.restartServer(name).catch((err: Error) => {
      throw (err as { kind?: string }).kind ? err : appError('spawn_failed', err.message);
    });
    return this.view(name);
  }

  async resetSharingDecision(name: string): Promise<ServerView> {
    this.o.engine.resetSharingDecision(name);
    return this.view(name);
  }

  async addDemoServer(): Promise<ServerView> {
    let name = 'demo';
    for (let i = 2; this.o.engine.servers.has(name); i++) name = `demo-${i}`;
    return this.addServer({ name, ...this.o.demo });
  }

  // ---- import and export -----------------------------------------------------------------------------------

  async discoverClientConfigs() {
    return discoverConfigs();
  }

  async previewImport(source: ImportSource): Promise<ImportPreview> {
    const passEnvironment = this.o.settings.view().settings.passEnvironment;
    return previewConfigImport(source, this.o.engine.servers.keys(), passEnvironment);
  }

  /** Saves the chosen entries, then starts them without waiting (see importServers). */
  async importConfig(source: ImportSource, names: string[]): Promise<ServerView[]> {
    const defs = await importServers(this.o, source, names);
    return defs.map((def) => this.view(def.name));
  }

  async exportConfig(
    client: ClientKind,
    names?: string[],
    options?: { includeSecrets?: boolean },
  ): Promise<{ text: string; notes: string[] }> {
    return exportServers(this.o.engine, client, names, options);
  }

  // ---- explorer --------------------------------------------------------------------------------------------

  listTools(server: string) {
    return this.explorer.listTools(server);
  }
  callTool(server: string, name: string, args: Record<string, unknown>, callId?: string) {
    return this.explorer.callTool(server, name, args ?? {}, typeof callId === 'string' ? callId : undefined);
  }
  listResources(server: string) {
    return this.explorer.listResources(server);
  }
  listResourceTemplates(server: string) {
    return this.explorer.listResourceTemplates(server);
  }
  readResource(server: string, uri: string) {
    return this.explorer.readResource(server, uri);
  }
  listPrompts(server: string) {
    return this.explorer.listPrompts(server);
  }
  getPrompt(server: string, name: string, args: Record<string, string>) {
    return this.explorer.getPrompt(server, name, args ?? {});
  }
  explorerOpen(server: string) {
    return this.explorer.open(server);
  }
  async explorerCancel(server: string, callId: string) {
    this.explorer.cancel(server, String(callId));
  }
  async explorerAnswer(server: string, requestId: string, answer: ExplorerAnswer) {
    this.explorer.answer(server, String(requestId), answer);
  }
  async explorerClose(server: string) {
    this.explorer.close(server);
  }

  /** The spawn's own lookup (the allowlisted PATH plus the server's env), so the form says what a start would. */
  async checkCommand(command: string, env?: Record<string, string>, cwd?: string): Promise<CommandCheck> {
    return checkCommand(command, env ?? {}, cwd, this.o.settings.view().settings.passEnvironment);
  }

  // ---- logs, traffic, metrics ------------------------------------------------------------------------------

  async queryLogs(q: LogQuery) {
    return queryLogs(this.o, q);
  }

  async queryTraffic(q: TrafficQuery) {
    return queryTraffic(this.o, q);
  }

  async exportTraffic(q: TrafficQuery): Promise<{ jsonl: string }> {
    return exportTraffic(this.o, q);
  }

  async getMetrics() {
    const engine = this.o.engine;
    return metricsView(this.o.telemetry.metrics.snapshot(), (n) => engine.servers.get(n)?.sessionCount ?? 0);
  }

  // ---- settings --------------------------------------------------------------------------------------------

  async getSettings() {
    return this.o.settings.view();
  }
  async updateSettings(patch: Parameters<SettingsControl['update']>[0]) {
    return this.o.settings.update(patch);
  }
  async regenerateToken() {
    this.o.settings.regenerateToken();
    return this.getConnectionInfo();
  }

  // ---- terminal --------------------------------------------------------------------------------------------

  async terminalOpen(server: string, cols: number, rows: number) {
    return this.terminals().open(this.o.engine.require(server).definition, cols, rows);
  }
  async terminalWrite(id: string, data: string) {
    this.terminals().write(id, String(data));
  }
  async terminalResize(id: string, cols: number, rows: number) {
    this.terminals().resize(id, cols, rows);
  }
  async terminalClose(id: string) {
    this.terminals().close(id);
  }

  // ---- the developer's loop --------------------------------------------------------------------------------

  async getSchemaHistory(server: string, limit?: number) {
    this.o.engine.require(server);
    return this.devloop.schemaHistory(server, limit);
  }
  async getProblems(server?: string) {
    return this.devloop.problems(server);
  }
  async clearProblems(server: string) {
    this.devloop.linter.clear(server);
  }
  async getRestartOnChange(server: string) {
    this.o.engine.require(server);
    return this.devloop.restartOnChange.get(server);
  }
  async setRestartOnChange(server: string, enabled: boolean) {
    this.o.engine.require(server);
    return this.devloop.restartOnChange.set(server, enabled === true);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private view(name: string): ServerView {
    const server = this.o.engine.require(name);
    const snapshot = this.o.telemetry.metrics.snapshot().servers.find((s) => s.name === name);
    return serverView(server, snapshot, this.o.engine.url);
  }

  private terminals(): TerminalManager {
    if (!this.o.terminals) {
      throw appError(
        'forbidden',
        'the terminal is off in this host; start it with `switchboard serve --enable-terminal`',
      );
    }
    return this.o.terminals;
  }

  // ---- client setup and catalog (issue 14) ------------------------------------------------------------------

  private connectCommand() {
    return this.o.connectCommand !== undefined ? this.o.connectCommand : cliConnectCommand(this.o.dataDir);
  }

  async listClientSetups(): Promise<ClientSetupStatus[]> {
    return this.onboarding.list();
  }

  async previewClientSetup(request: ClientSetupRequest): Promise<ClientSetupPreview> {
    return this.onboarding.preview(request);
  }

  async applyClientSetup(request: ClientSetupRequest): Promise<ClientSetupStatus> {
    return this.onboarding.apply(request);
  }

  async undoClientSetup(path: string): Promise<ClientSetupStatus> {
    return this.onboarding.undo(path);
  }

  async searchCatalog(query: CatalogQuery): Promise<CatalogPage> {
    return this.onboarding.searchCatalog(query);
  }
}
