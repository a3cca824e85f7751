import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AppBridge,
  ExplorerAnswer,
  ExplorerEvent,
  ExplorerServerInfo,
  PromptInfo,
  ResourceInfo,
  ResourceTemplateInfo,
  ToolCallResult,
  ToolInfo,
} from '../../../shared/app-api.js';
import { errorMessage } from '../lib/errors.js';

export type CatalogPart = 'tools' | 'resources' | 'templates' | 'prompts';

/** What one server offers, each list loaded on its own so one failure does not hide the rest. */
export interface Catalog {
  loading: boolean;
  loadedAt: number | null;
  /** What the server said in `initialize`; null until joined (or when joining failed). */
  info: ExplorerServerInfo | null;
  /** Parts the server advertises; the others are never asked for. */
  offered: Record<CatalogPart, boolean>;
  tools: ToolInfo[];
  resources: ResourceInfo[];
  templates: ResourceTemplateInfo[];
  prompts: PromptInfo[];
  errors: Partial<Record<CatalogPart, string>>;
}

export interface CallProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** The last outcome of calling a tool, reading a resource or getting a prompt. */
export type Outcome =
  | { status: 'running'; startedAt: number; callId?: string; progress?: CallProgress }
  | { status: 'tool'; result: ToolCallResult }
  | { status: 'contents'; contents: Array<Record<string, unknown>>; latencyMs: number }
  | { status: 'prompt'; result: Record<string, unknown>; latencyMs: number }
  | { status: 'error'; message: string; latencyMs: number; cancelled?: boolean };

/** A sampling or elicitation request from a server, waiting for the user. */
export type Question = Extract<ExplorerEvent, { kind: 'request' }> & { receivedAt: number };

export interface ExplorerState {
  catalogs: Record<string, Catalog>;
  /** Keyed by `outcomeKey(server, kind, name)`. */
  outcomes: Record<string, Outcome>;
  /** Open questions per server, oldest first. */
  questions: Record<string, Question[]>;
  /** Why the last question closed without the user (withdrawn, its call ended), per server. */
  questionNotes: Record<string, string>;
  load(server: string): Promise<void>;
  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<void>;
  cancel(server: string, key: string): Promise<void>;
  answer(server: string, requestId: string, answer: ExplorerAnswer): Promise<void>;
  readResource(server: string, uri: string, key: string): Promise<void>;
  getPrompt(server: string, name: string, args: Record<string, string>): Promise<void>;
  /** The explorer tab closed: the host's session for it can go. */
  close(server: string): void;
  ingest(event: ExplorerEvent): void;
}

export type ExplorerStore = StoreApi<ExplorerState>;

export function outcomeKey(server: string, kind: 'tool' | 'resource' | 'prompt', name: string): string {
  return `${server}\u0000${kind}\u0000${name}`;
}

const none: Record<CatalogPart, boolean> = { tools: false, resources: false, templates: false, prompts: false };

const emptyCatalog = (): Catalog => ({
  loading: false,
  loadedAt: null,
  info: null,
  offered: none,
  tools: [],
  resources: [],
  templates: [],
  prompts: [],
  errors: {},
});

let callCounter = 0;
/** Unique across every page open on this host (they share one explorer session per server). */
function newCallId(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `call-${++callCounter}-${random}`;
}

export function createExplorerStore(bridge: AppBridge): ExplorerStore {
  return createStore<ExplorerState>()((set, get) => {
    const setOutcome = (key: string, outcome: Outcome) => set({ outcomes: { ...get().outcomes, [key]: outcome } });
    /** Runs `call`, recording its outcome (and latency as the page saw it) under `key`. */
    const track = async (key: string, call: () => Promise<Outcome>, callId?: string) => {
      const startedAt = performance.now();
      setOutcome(key, { status: 'running', startedAt: Date.now(), ...(callId ? { callId } : {}) });
      try {
        setOutcome(key, await call());
      } catch (err) {
        const current = get().outcomes[key];
        // Cancel already recorded the outcome the user asked for.
        if (current?.status === 'error' && current.cancelled) return;
        setOutcome(key, { status: 'error', message: errorMessage(err), latencyMs: performance.now() - startedAt });
      }
    };
    const setQuestions = (server: string, list: Question[]) =>
      set({ questions: { ...get().questions, [server]: list } });
    return {
      catalogs: {},
      outcomes: {},
      questions: {},
      questionNotes: {},
      async load(server) {
        const previous = get().catalogs[server] ?? emptyCatalog();
        set({ catalogs: { ...get().catalogs, [server]: { ...previous, loading: true } } });
        let info: ExplorerServerInfo;
        try {
          info = await bridge.explorerOpen(server);
        } catch (err) {
          const message = errorMessage(err);
          const errors = { tools: message, resources: message, templates: message, prompts: message };
          const failed = { ...emptyCatalog(), loadedAt: Date.now(), errors };
          set({ catalogs: { ...get().catalogs, [server]: failed } });
          return;
        }
        const caps = info.capabilities;
        const offered = {
          tools: 'tools' in caps,
          resources: 'resources' in caps,
          templates: 'resources' in caps,
          prompts: 'prompts' in caps,
        };
        // Only what the server advertises is asked for: a list it does not offer would only count as its error.
        const skip = Promise.resolve([] as never[]);
        const [tools, resources, templates, prompts] = await Promise.allSettled([
          offered.tools ? bridge.listTools(server) : skip,
          offered.resources ? bridge.listResources(server) : skip,
          offered.templates ? bridge.listResourceTemplates(server) : skip,
          offered.prompts ? bridge.listPrompts(server) : skip,
        ]);
        const errors: Catalog['errors'] = {};
        const value = <T>(part: CatalogPart, r: PromiseSettledResult<T[]>): T[] => {
          if (r.status === 'fulfilled') return r.value;
          errors[part] = errorMessage(r.reason);
          return [];
        };
        const catalog: Catalog = {
          loading: false,
          loadedAt: Date.now(),
          info,
          offered,
          tools: value('tools', tools),
          resources: value('resources', resources),
          templates: value('templates', templates),
          prompts: value('prompts', prompts),
          errors,
        };
        set({ catalogs: { ...get().catalogs, [server]: catalog } });
      },
      callTool(server, tool, args) {
        const callId = newCallId();
        return track(
          outcomeKey(server, 'tool', tool),
          async () => ({ status: 'tool', result: await bridge.callTool(server, tool, args, callId) }),
          callId,
        );
      },
      async cancel(server, key) {
        const outcome = get().outcomes[key];
        if (outcome?.status !== 'running' || !outcome.callId) return;
        const latencyMs = Date.now() - outcome.startedAt;
        setOutcome(key, {
          status: 'error',
          message: 'Cancelled: the server was told to stop.',
          latencyMs,
          cancelled: true,
        });
        await bridge.explorerCancel(server, outcome.callId).catch(() => undefined); // it may have just finished
      },
      async answer(server, requestId, answer) {
        setQuestions(
          server,
          (get().questions[server] ?? []).filter((q) => q.requestId !== requestId),
        );
        try {
          await bridge.explorerAnswer(server, requestId, answer);
        } catch (err) {
          set({ questionNotes: { ...get().questionNotes, [server]: errorMessage(err) } });
        }
      },
      readResource: (server, uri, key) =>
        track(outcomeKey(server, 'resource', key), async () => {
          const started = performance.now();
          const { contents } = await bridge.readResource(server, uri);
          return { status: 'contents', contents, latencyMs: performance.now() - started };
        }),
      getPrompt: (server, name, args) =>
        track(outcomeKey(server, 'prompt', name), async () => {
          const started = performance.now();
          const result = await bridge.getPrompt(server, name, args);
          return { status: 'prompt', result, latencyMs: performance.now() - started };
        }),
      close(server) {
        const running = Object.entries(get().outcomes).some(
          ([key, o]) => key.startsWith(`${server}\u0000`) && o.status === 'running',
        );
        // A call still running keeps the session (it leaves by itself when idle).
        if (!running && !(get().questions[server]?.length ?? 0))
          void bridge.explorerClose(server).catch(() => undefined);
      },
      ingest(event) {
        if (event.kind === 'progress') {
          const entry = Object.entries(get().outcomes).find(
            ([, o]) => o.status === 'running' && o.callId === event.callId,
          );
          if (!entry) return;
          const [key, outcome] = entry;
          const { progress, total, message } = event;
          setOutcome(key, { ...outcome, progress: { progress, total, message } } as Outcome);
        } else if (event.kind === 'request') {
          const list = get().questions[event.server] ?? [];
          if (list.some((q) => q.requestId === event.requestId)) return;
          setQuestions(event.server, [...list, { ...event, receivedAt: Date.now() }]);
          const { [event.server]: _old, ...notes } = get().questionNotes;
          set({ questionNotes: notes });
        } else {
          const list = get().questions[event.server] ?? [];
          if (!list.some((q) => q.requestId === event.requestId)) return;
          setQuestions(
            event.server,
            list.filter((q) => q.requestId !== event.requestId),
          );
          set({ questionNotes: { ...get().questionNotes, [event.server]: `A request closed: ${event.reason}.` } });
        }
      },
    };
  });
}

/** Feeds the host's explorer events to the store. Returns the unsubscribe. */
export function connectExplorer(bridge: AppBridge, store: ExplorerStore): () => void {
  return bridge.on('explorer', (event) => store.getState().ingest(event));
}
