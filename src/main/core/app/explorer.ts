import type {
  PromptInfo,
  ResourceInfo,
  ResourceTemplateInfo,
  ToolCallResult,
  ToolInfo,
} from '../../../shared/app-api.js';
import type { ClientRouter } from '../router/client-router.js';
import { appError } from './app-error.js';

/**
 * The dashboard's explorer: Switchboard's own requests to a server (never a client session's), so trying a tool
 * by hand does not disturb anyone connected. Lists follow `nextCursor` to the end, with a page limit against a
 * server that never stops paging.
 */
const MAX_PAGES = 50;

async function ask(router: ClientRouter, method: string, params: Record<string, unknown> = {}, timeoutMs?: number) {
  try {
    return (await router.request(method, params, timeoutMs)) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error & { code?: number };
    if (/is not running|is stopped|is failed|did not start/.test(e.message)) throw appError('unavailable', e.message);
    if (e.code === -32001) throw appError('timeout', e.message);
    throw appError('server_error', `${method}: ${e.message}`);
  }
}

async function listAll<T>(router: ClientRouter, method: string, key: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await ask(router, method, cursor ? { cursor } : {});
    items.push(...((result[key] as T[] | undefined) ?? []));
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return items;
}

export const listTools = (router: ClientRouter) => listAll<ToolInfo>(router, 'tools/list', 'tools');
export const listResources = (router: ClientRouter) => listAll<ResourceInfo>(router, 'resources/list', 'resources');
export const listResourceTemplates = (router: ClientRouter) =>
  listAll<ResourceTemplateInfo>(router, 'resources/templates/list', 'resourceTemplates');
export const listPrompts = (router: ClientRouter) => listAll<PromptInfo>(router, 'prompts/list', 'prompts');

export async function callTool(
  router: ClientRouter,
  name: string,
  args: Record<string, unknown>,
  timeoutMs?: number,
): Promise<ToolCallResult> {
  const started = performance.now();
  const result = await ask(router, 'tools/call', { name, arguments: args }, timeoutMs);
  return {
    content: (result.content as ToolCallResult['content']) ?? [],
    structuredContent: result.structuredContent as ToolCallResult['structuredContent'],
    isError: result.isError === true,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

export async function readResource(router: ClientRouter, uri: string) {
  const result = await ask(router, 'resources/read', { uri });
  return { contents: (result.contents as Array<Record<string, unknown>>) ?? [] };
}

export function getPrompt(router: ClientRouter, name: string, args: Record<string, string>) {
  return ask(router, 'prompts/get', { name, arguments: args });
}
