import { homedir } from 'node:os';
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
import type { ServerDefinition, ServerDefinitionInput } from '../../../shared/server-definition.js';
import {
  discoverClientConfigs,
  exportClientConfig,
  parseClientConfig,
  previewImport,
  readClientConfig,
} from '../config/client-configs.js';
import type { CatalogPage, CatalogQuery } from '../../../shared/catalog.js';
import type { ClientSetupPreview, ClientSetupRequest, ClientSetupStatus } from '../../../shared/client-setup.js';
import { RegistryClient } from '../catalog/registry-client.js';
import type { ClientSetup } from '../config/client-setup.js';
import { cliConnectCommand, clientSetupFor } from '../config/client-setup-service.js';
import { VERSION, toDefinition, type Engine } from '../engine.js';
import type { Store } from '../store/index.js';
import { DevLoop } from '../devloop/dev-loop.js';
import { appError, unwrap } from './app-error.js';
import { checkCommand } from './command-check.js';
import { envOf, isStdio, previewChecks, saveNames } from './import-flow.js';
import { Explorer } from './explorer.js';
import type { SettingsControl } from './settings-control.js';
import type { TelemetryHub } from './telemetry-hub.js';
import type { TerminalManager } from './terminal-manager.js';
import { logLine, metricsView, serverView, storedFrame, storedLogLine, trafficFrame, unmaskEnv } from './views.js';

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
    const def = this.validate(input);
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
    const def = this.validate({ ...input, env: unmaskEnv(input.env ?? {}, previous.env) });
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
    return discoverClientConfigs(homedir(), process.platform, process.env);
  }

  async previewImport(source: ImportSource): Promise<ImportPreview> {
    const imported = this.readSource(source);
    const passEnvironment = this.o.settings.view().settings.passEnvironment;
    return {
      client: imported.client,
      path: imported.path,
      rows: previewImport(imported),
      problems: imported.problems,
      checks: previewChecks(imported, this.o.engine.servers.keys(), passEnvironment),
    };
  }

  /**
   * Saves every chosen entry first, then starts them all at once and answers without waiting: an `npx -y`
   * install can take minutes, and one server failing must not hold up (or undo) the others. The page follows
   * each one through its state events.
   */
  async importConfig(source: ImportSource, names: string[]): Promise<ServerView[]> {
    const imported = this.readSource(source);
    const chosen = imported.entries.filter(isStdio).filter((e) => names.includes(e.safeName));
    const blocked = chosen.filter((e) => e.problems.length > 0 || e.needsInput.length > 0);
    if (blocked.length > 0) {
      const first = blocked[0]!;
      const why = first.problems[0]?.message ?? `needs a value for input "${first.needsInput[0]?.id}"`;
      throw appError('invalid', `"${first.name}" cannot be imported as it is: ${why}`);
    }
    const saveAs = saveNames(chosen, this.o.engine.servers.keys());
    const defs = chosen.map((entry) =>
      this.validate({
        name: saveAs.get(entry)!.name,
        command: entry.command,
        args: entry.args,
        env: envOf(entry),
        secretEnvKeys: entry.env.filter((v) => v.secret).map((v) => v.name),
        ...(entry.cwd ? { cwd: entry.cwd } : {}),
        enabled: !entry.disabled,
      }),
    );
    const store = this.o.store;
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
      const taken = this.o.engine.servers.has(def.name);
      const adding = this.o.engine.addServer(def);
      if (!taken && this.o.engine.servers.has(def.name)) {
        void adding.catch(() => {});
        continue;
      }
      await adding.catch((err: Error) => {
        store?.servers.remove(def.name);
        throw err;
      });
    }
    return defs.map((def) => this.view(def.name));
  }

  async exportConfig(
    client: ClientKind,
    names?: string[],
    options?: { includeSecrets?: boolean },
  ): Promise<{ text: string; notes: string[] }> {
    const servers = [...this.o.engine.servers.values()]
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

  /** Recent lines from memory; older ones (and everything after a restart) from the store. */
  async queryLogs(q: LogQuery) {
    const limit = Math.min(q.limit ?? 1000, 10_000);
    const recent = this.o.telemetry.logs
      .query({ server: q.server, level: q.level, text: q.text, sinceTime: q.sinceTime, limit })
      .filter((r) => q.untilTime === undefined || r.time <= q.untilTime)
      .map(logLine);
    const store = this.o.store;
    if (!store || recent.length >= limit) return recent;
    const until = Math.min(recent[0]?.time ?? Infinity, q.untilTime ?? Infinity);
    const older = store.logs.query({
      server: q.server,
      minLevel: q.level,
      text: q.text,
      since: q.sinceTime,
      ...(Number.isFinite(until) ? { until } : {}),
      limit: limit - recent.length,
    });
    return [...older.rows.reverse().map(storedLogLine), ...recent];
  }

  async queryTraffic(q: TrafficQuery) {
    const limit = Math.min(q.limit ?? 1000, 10_000);
    const recent = this.o.telemetry.traffic
      .query({
        server: q.server,
        session: q.session,
        method: q.method,
        errorsOnly: q.errorsOnly,
        sinceTime: q.sinceTime,
        limit,
      })
      .filter((r) => !q.clientName || r.clientName === q.clientName)
      .map(trafficFrame);
    const store = this.o.store;
    if (!store || recent.length >= limit) return recent;
    const until = recent[0]?.time;
    const older = store.traffic.query({
      server: q.server,
      session: q.session,
      client: q.clientName,
      method: q.method,
      errorsOnly: q.errorsOnly,
      since: q.sinceTime,
      ...(until !== undefined ? { until } : {}),
      limit: limit - recent.length,
    });
    return [...older.rows.reverse().map(storedFrame), ...recent];
  }

  /** The recorded frames matching the query (client included), redacted, one JSON object per line. */
  async exportTraffic(q: TrafficQuery): Promise<{ jsonl: string }> {
    const { clientName, ...filter } = q;
    const rows = this.o.telemetry.traffic
      .query({ ...filter, limit: q.limit ?? 100_000 })
      .filter((r) => !clientName || r.clientName === clientName);
    return { jsonl: rows.map((r) => JSON.stringify(r) + '\n').join('') };
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

  private validate(input: ServerDefinitionInput): ServerDefinition {
    try {
      return toDefinition(input);
    } catch (err) {
      throw appError('invalid', (err as Error).message.replace(/^server "[^"]*": /, ''));
    }
  }

  // ---- client setup and catalog (issue 14) ------------------------------------------------------------------

  private setup?: ClientSetup;
  private registry?: RegistryClient;

  private clientSetup(): ClientSetup {
    return (this.setup ??= clientSetupFor(this, {
      dataDir: this.o.dataDir,
      entryInputs: () => ({
        baseUrl: this.o.engine.url,
        token: this.o.settings.token(),
        connectCommand: this.connectCommand(),
      }),
    }));
  }

  private connectCommand() {
    return this.o.connectCommand !== undefined ? this.o.connectCommand : cliConnectCommand(this.o.dataDir);
  }

  async listClientSetups(): Promise<ClientSetupStatus[]> {
    return this.clientSetup().list();
  }

  async previewClientSetup(request: ClientSetupRequest): Promise<ClientSetupPreview> {
    // The page gets the masked diff; the file's own text, with its secrets, stays in the engine.
    const { before: _before, after: _after, ...preview } = await this.clientSetup().preview(request);
    return preview;
  }

  async applyClientSetup(request: ClientSetupRequest): Promise<ClientSetupStatus> {
    return this.clientSetup().apply(request);
  }

  async undoClientSetup(path: string): Promise<ClientSetupStatus> {
    return this.clientSetup().undo(path);
  }

  async searchCatalog(query: CatalogQuery): Promise<CatalogPage> {
    this.registry ??= new RegistryClient({ registryUrl: () => this.o.settings.resolved().settings.registryUrl });
    return this.registry.search(query ?? {});
  }

  private readSource(source: ImportSource) {
    const options = { client: source.client, env: process.env, answers: source.answers, home: homedir() };
    if (source.path) return readClientConfig(source.path, options);
    if (typeof source.text === 'string') return parseClientConfig(source.text, options);
    throw appError('invalid', 'give a file path or the text of a config to import');
  }
}
