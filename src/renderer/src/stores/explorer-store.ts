import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AppBridge,
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
  tools: ToolInfo[];
  resources: ResourceInfo[];
  templates: ResourceTemplateInfo[];
  prompts: PromptInfo[];
  errors: Partial<Record<CatalogPart, string>>;
}

/** The last outcome of calling a tool, reading a resource or getting a prompt. */
export type Outcome =
  | { status: 'running'; startedAt: number }
  | { status: 'tool'; result: ToolCallResult }
  | { status: 'contents'; contents: Array<Record<string, unknown>>; latencyMs: number }
  | { status: 'prompt'; result: Record<string, unknown>; latencyMs: number }
  | { status: 'error'; message: string; latencyMs: number };

export interface ExplorerState {
  catalogs: Record<string, Catalog>;
  /** Keyed by `outcomeKey(server, kind, name)`. */
  outcomes: Record<string, Outcome>;
  load(server: string): Promise<void>;
  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<void>;
  readResource(server: string, uri: string, key: string): Promise<void>;
  getPrompt(server: string, name: string, args: Record<string, string>): Promise<void>;
}

export type ExplorerStore = StoreApi<ExplorerState>;

export function outcomeKey(server: string, kind: 'tool' | 'resource' | 'prompt', name: string): string {
  return `${server}\u0000${kind}\u0000${name}`;
}

const emptyCatalog = (): Catalog => ({
  loading: false,
  loadedAt: null,
  tools: [],
  resources: [],
  templates: [],
  prompts: [],
  errors: {},
});

export function createExplorerStore(bridge: AppBridge): ExplorerStore {
  return createStore<ExplorerState>()((set, get) => {
    const setOutcome = (key: string, outcome: Outcome) => set({ outcomes: { ...get().outcomes, [key]: outcome } });
    /** Runs `call`, recording its outcome (and latency as the page saw it) under `key`. */
    const track = async (key: string, call: () => Promise<Outcome>) => {
      const startedAt = performance.now();
      setOutcome(key, { status: 'running', startedAt: Date.now() });
      try {
        setOutcome(key, await call());
      } catch (err) {
        setOutcome(key, { status: 'error', message: errorMessage(err), latencyMs: performance.now() - startedAt });
      }
    };
    return {
      catalogs: {},
      outcomes: {},
      async load(server) {
        const previous = get().catalogs[server] ?? emptyCatalog();
        set({ catalogs: { ...get().catalogs, [server]: { ...previous, loading: true } } });
        const [tools, resources, templates, prompts] = await Promise.allSettled([
          bridge.listTools(server),
          bridge.listResources(server),
          bridge.listResourceTemplates(server),
          bridge.listPrompts(server),
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
          tools: value('tools', tools),
          resources: value('resources', resources),
          templates: value('templates', templates),
          prompts: value('prompts', prompts),
          errors,
        };
        set({ catalogs: { ...get().catalogs, [server]: catalog } });
      },
      callTool: (server, tool, args) =>
        track(outcomeKey(server, 'tool', tool), async () => ({
          status: 'tool',
          result: await bridge.callTool(server, tool, args),
        })),
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
    };
  });
}
