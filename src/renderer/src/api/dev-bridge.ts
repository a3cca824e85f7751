/**
 * An in-memory AppBridge for developing the dashboard without an engine (dev.html only; production code never
 * imports this). It pretends to run a few servers, emits batched logs, traffic and metrics like the engine does,
 * and with `?flood=N` pushes N traffic frames a second for a rough performance check.
 */
import {
  AppError,
  type AppBridge,
  type AppEventName,
  type AppEvents,
  type LogLine,
  type ServerView,
  type TrafficFrame,
} from '../../../shared/app-api.js';
import { serverDefinitionSchema, type ServerDefinitionInput } from '../../../shared/server-definition.js';
import { devPreview, devTools } from './dev-fixtures.js';

type Listener = (payload: never) => void;

function view(
  input: ServerDefinitionInput,
  state: ServerView['status']['state'] = 'stopped',
  reason = 'not started',
): ServerView {
  const definition = serverDefinitionSchema.parse(input);
  const enc = encodeURIComponent(definition.name);
  return {
    definition,
    status: { state, reason, since: Date.now(), pid: state === 'running' ? 4242 : null },
    stats: {
      uptimeSeconds: 0,
      restarts: 0,
      sessions: 0,
      inflight: 0,
      requestsPerSecond: 0,
      errors: 0,
      latencyMs: null,
      cpuPercent: null,
      rssBytes: null,
    },
    endpoints: { streamableHttp: `/servers/${enc}/mcp`, sse: `/servers/${enc}/sse` },
    serverInfo: state === 'running' ? { name: 'example-servers/everything', version: '1.0.0' } : null,
  };
}

export function createDevBridge(options: { empty?: boolean; flood?: number; logFlood?: number } = {}): AppBridge {
  const listeners = new Map<AppEventName, Set<Listener>>();
  const emit = <E extends AppEventName>(event: E, payload: AppEvents[E]) => {
    for (const fn of listeners.get(event) ?? []) (fn as (p: AppEvents[E]) => void)(payload);
  };
  const servers = new Map<string, ServerView>();
  if (!options.empty) {
    const node = 'node';
    servers.set(
      'everything',
      view(
        {
          name: 'everything',
          command: node,
          args: ['/repo/node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'],
        },
        'running',
        'initialized in 412 ms',
      ),
    );
    servers.set(
      'memory',
      view({
        name: 'memory',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { MEMORY_FILE_PATH: '/tmp/m.jsonl' },
      }),
    );
    servers.set(
      'github',
      view(
        {
          name: 'github',
          command: 'docker',
          args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'],
          env: { GITHUB_TOKEN: '•••' },
          secretEnvKeys: ['GITHUB_TOKEN'],
        },
        'failed',
        'exited with code 125 three times in 60 s; not restarting',
      ),
    );
  }
  const get = (name: string) => {
    const v = servers.get(name);
    if (!v) throw new AppError('not_found', `no server named "${name}"`);
    return v;
  };
  const setState = (name: string, state: ServerView['status']['state'], reason: string) => {
    const v = { ...get(name), status: { state, reason, since: Date.now(), pid: state === 'running' ? 4243 : null } };
    servers.set(name, v);
    emit('serverState', { server: name, ...v.status });
    return v;
  };
  let seq = 0;
  let errors = 0;
  const start = Date.now();
  const lines: LogLine[] = [];
  const frames: TrafficFrame[] = [];
  const rate = options.flood ?? 20;
  const timer = setInterval(() => {
    const now = Date.now();
    const batch: TrafficFrame[] = [];
    for (let i = 0; i < rate / 20; i++) {
      seq++;
      const pairKey = `s1:${seq}`;
      const payload = JSON.stringify({
        jsonrpc: '2.0',
        id: seq,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: `hello ${seq}` } },
      });
      const isError = seq % 37 === 0;
      batch.push({
        seq,
        time: now,
        direction: 'up',
        server: 'everything',
        session: 's1',
        clientName: seq % 3 ? 'cursor' : 'claude-code',
        kind: 'request',
        method: 'tools/call',
        clientId: seq,
        size: payload.length,
        pairKey,
        payload,
      });
      const answer = isError
        ? { jsonrpc: '2.0', id: seq, error: { code: -32602, message: 'Unknown tool: <b>nope</b>' } }
        : { jsonrpc: '2.0', id: seq, result: { content: [{ type: 'text', text: `Echo: hello ${seq}` }] } };
      const text = JSON.stringify(answer);
      batch.push({
        seq: ++seq,
        time: now + 3,
        direction: 'down',
        server: 'everything',
        session: 's1',
        kind: 'response',
        clientId: seq - 1,
        isError,
        latencyMs: 1 + (seq % 17),
        size: text.length,
        pairKey,
        payload: text,
      });
      if (isError) errors++;
    }
    frames.push(...batch);
    if (frames.length > 10_000) frames.splice(0, frames.length - 5000);
    emit('traffic', batch);
    const logBatch: LogLine[] = [];
    for (let i = 0; i < Math.max(1, (options.logFlood ?? 0) / 20); i++) {
      const line: LogLine = {
        time: now,
        level: seq % 11 === 0 ? 'warn' : 'info',
        source: 'everything',
        server: 'everything',
        stderr: true,
        message: `[everything] handled tools/call #${seq} <script>alert(1)</script>`,
      };
      logBatch.push(line);
    }
    lines.push(...logBatch);
    if (lines.length > 10_000) lines.splice(0, lines.length - 5000);
    emit('logs', logBatch);
  }, 50);
  const metricsTimer = setInterval(() => {
    const t = Date.now();
    const wave = Math.sin(t / 8000);
    const stats = {
      uptimeSeconds: (t - start) / 1000 + 3600,
      restarts: 1,
      sessions: 2,
      inflight: 0,
      requestsPerSecond: rate / 2 + wave * 5,
      errors,
      latencyMs: { p50: 3 + wave, p90: 9 + wave * 2, p99: 22 + wave * 6 },
      cpuPercent: 3.2 + wave,
      rssBytes: 58_000_000,
    };
    const snapshot = { time: t, servers: { everything: { ...stats, state: 'running' as const } }, sessions: [] };
    emit('metrics', snapshot);
  }, 1000);
  void timer;
  void metricsTimer;

  const bridge: AppBridge = {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    getAppInfo: async () => ({
      version: '0.1.0-dev',
      host: 'web',
      platform: 'linux',
      terminalEnabled: false,
      dataDir: '/tmp/dev',
    }),
    getConnectionInfo: async () => ({
      baseUrl: 'http://127.0.0.1:3000',
      token: 'sb_3f9a1c0d7e5b2a8c4d6e0f1a2b3c4d5e',
      endpoints: [
        { name: null, streamableHttp: '/mcp', sse: '/sse' },
        ...[...servers.values()].map((s) => ({ name: s.definition.name, ...s.endpoints })),
      ],
    }),
    listServers: async () => [...servers.values()],
    addServer: async (input) => {
      const parsed = serverDefinitionSchema.safeParse(input);
      if (!parsed.success) throw new AppError('invalid', parsed.error.issues[0]!.message);
      if (servers.has(parsed.data.name))
        throw new AppError('conflict', `a server named "${parsed.data.name}" already exists`);
      const v = view(input);
      servers.set(v.definition.name, v);
      emit('serversChanged', { names: [v.definition.name] });
      return v;
    },
    updateServer: async (name, input) => {
      const v = { ...get(name), definition: serverDefinitionSchema.parse(input) };
      servers.set(name, v);
      return v;
    },
    removeServer: async (name) => void servers.delete(get(name).definition.name),
    setServerEnabled: async (name, enabled) => {
      const v = get(name);
      const next = { ...v, definition: { ...v.definition, enabled } };
      servers.set(name, next);
      return next;
    },
    startServer: async (name) => {
      if (name === 'github')
        throw new AppError(
          'spawn_failed',
          "`docker` not found on PATH=/usr/bin:/bin; set PATH in the server's env or use an absolute path",
        );
      setState(name, 'starting', 'spawned; waiting for initialize');
      await new Promise((r) => setTimeout(r, 300));
      return setState(name, 'running', 'initialized in 300 ms');
    },
    stopServer: async (name) => setState(name, 'stopped', 'stopped by you'),
    restartServer: async (name) => setState(name, 'running', 'restarted by you'),
    addDemoServer: async () =>
      bridge.addServer({ name: 'demo', command: 'node', args: ['/repo/examples/demo-server.js'] }),
    discoverClientConfigs: async () => [
      { client: 'claude-desktop', scope: 'user', path: '/home/alice/.config/Claude/claude_desktop_config.json' },
      { client: 'cursor', scope: 'user', path: '/home/alice/.cursor/mcp.json' },
    ],
    previewImport: async (source) => ({
      client: source.client,
      path: source.path,
      rows: devPreview,
      problems: source.text === '{' ? ['not JSON: unexpected end of input'] : [],
    }),
    importConfig: async (_source, names) =>
      names.map((n) => {
        const v = view({ name: n, command: 'npx', args: ['-y', n] });
        servers.set(n, v);
        return v;
      }),
    exportConfig: async () => ({ text: '{}' }),
    listTools: async (name) =>
      get(name).status.state === 'running'
        ? devTools
        : Promise.reject(new AppError('unavailable', `server "${name}" is not running; start it first`)),
    callTool: async (_server, name, args) => {
      await new Promise((r) => setTimeout(r, 40));
      if (name === 'echo') return { content: [{ type: 'text', text: `Echo: ${String(args.message)}` }], latencyMs: 41 };
      if (name === 'getTinyImage')
        return {
          content: [
            { type: 'text', text: 'A tiny image:' },
            {
              type: 'image',
              mimeType: 'image/png',
              data: 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAKklEQVR4nGNgGAWjYBSMglEwCkbBKBgFo2AUjIJRMApGwSgYBaNgFAwDAAwQAAE5wH6DAAAAAElFTkSuQmCC',
            },
          ],
          latencyMs: 12,
        };
      return {
        content: [{ type: 'text', text: '<img src=x onerror=alert(1)>' }],
        structuredContent: { args },
        isError: name === 'fail',
        latencyMs: 5,
      };
    },
    listResources: async () => [{ uri: 'test://static/resource/1', name: 'Resource 1', mimeType: 'text/plain' }],
    listResourceTemplates: async () => [
      {
        uriTemplate: 'test://static/resource/{id}',
        name: 'Static Resource',
        description: 'A static resource with a numeric ID',
      },
    ],
    readResource: async (_s, uri) => ({
      contents: [{ uri, mimeType: 'text/plain', text: `Resource ${uri}: This is a plaintext resource` }],
    }),
    listPrompts: async () => [
      { name: 'simple_prompt', description: 'A prompt without arguments' },
      { name: 'complex_prompt', arguments: [{ name: 'temperature', required: true }, { name: 'style' }] },
    ],
    getPrompt: async (_s, name, args) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `${name} with ${JSON.stringify(args)}` } }],
    }),
    queryLogs: async (q) => lines.filter((l) => !q.server || l.server === q.server).slice(-(q.limit ?? 1000)),
    queryTraffic: async (q) => frames.slice(-(q.limit ?? 1000)),
    exportTraffic: async () => ({ jsonl: frames.map((f) => JSON.stringify(f)).join('\n') }),
    getMetrics: async () => ({ time: Date.now(), servers: {}, sessions: [] }),
    getSettings: async () => ({
      settings: {
        port: 3000,
        host: '127.0.0.1',
        allowedOrigins: ['http://localhost:5173'],
        passEnvironment: false,
        maxProcesses: 20,
        logLevel: 'info',
        keepaliveIntervalMs: 25_000,
        messageTimeoutMs: 60_000,
        maxMessageBytes: 4_194_304,
        retentionDays: 7,
        startAtLogin: false,
      },
      sources: {
        port: 'set by TRANSPORT_SSE_PORT',
        host: 'default',
        allowedOrigins: 'stored',
        passEnvironment: 'default',
        maxProcesses: 'default',
        retentionDays: 'stored',
        startAtLogin: 'default',
      },
      needsRestart: ['port', 'host'],
    }),
    updateSettings: async (patch) => {
      if (typeof patch.port === 'number' && (patch.port < 0 || patch.port > 65535))
        throw new AppError('invalid', `port ${patch.port} must be between 0 and 65535`);
      return bridge.getSettings();
    },
    regenerateToken: async () => bridge.getConnectionInfo(),
    terminalOpen: async () => ({ id: 't1' }),
    terminalWrite: async (id, data) => emit('terminalData', { id, data }),
    terminalResize: async () => undefined,
    terminalClose: async () => undefined,
  };
  return bridge;
}
