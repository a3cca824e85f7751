import type { LooseJson } from '../loose-json.js';
import {
  CallToolResultSchema,
  CompleteResultSchema,
  EmptyResultSchema,
  GetPromptResultSchema,
  InitializeResultSchema,
  ListPromptsResultSchema,
  ListResourceTemplatesResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  ReadResourceResultSchema,
} from '@modelcontextprotocol/sdk/types.js';

/** What a result must look like, by the method it answers: the SDK's own schemas, never a copy. */
export const resultSchemas: Record<string, { safeParse(v: unknown): { success: boolean; error?: unknown } }> = {
  initialize: InitializeResultSchema,
  ping: EmptyResultSchema,
  'tools/list': ListToolsResultSchema,
  'tools/call': CallToolResultSchema,
  'resources/list': ListResourcesResultSchema,
  'resources/templates/list': ListResourceTemplatesResultSchema,
  'resources/read': ReadResourceResultSchema,
  'resources/subscribe': EmptyResultSchema,
  'resources/unsubscribe': EmptyResultSchema,
  'prompts/list': ListPromptsResultSchema,
  'prompts/get': GetPromptResultSchema,
  'completion/complete': CompleteResultSchema,
  'logging/setLevel': EmptyResultSchema,
};

/** The first few zod issues as one line: `tools.0.name: Invalid input: expected string, received undefined`. */
export function describeIssues(error: unknown): string {
  const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> })?.issues ?? [];
  const shown = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(result)'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 3 ? `; and ${issues.length - 3} more` : '');
}

/**
 * Fields the SDK's schemas accept (they describe the newest version) that a server must not send to a client
 * that negotiated an older one. Checked by path, as a warning: clients of that version ignore or reject them.
 */
export const fieldsSince: ReadonlyArray<{
  since: string;
  method: string;
  field: string;
  where: (r: LooseJson) => boolean;
}> = [
  {
    since: '2025-06-18',
    method: 'tools/call',
    field: 'structuredContent',
    where: (r) => r?.structuredContent !== undefined,
  },
  {
    since: '2025-06-18',
    method: 'tools/list',
    field: 'tools[].outputSchema',
    where: (r) => Array.isArray(r?.tools) && r.tools.some((t: LooseJson) => t?.outputSchema !== undefined),
  },
  {
    since: '2025-06-18',
    method: 'tools/list',
    field: 'tools[].title',
    where: (r) => Array.isArray(r?.tools) && r.tools.some((t: LooseJson) => t?.title !== undefined),
  },
  {
    since: '2025-03-26',
    method: 'tools/list',
    field: 'tools[].annotations',
    where: (r) => Array.isArray(r?.tools) && r.tools.some((t: LooseJson) => t?.annotations !== undefined),
  },
  {
    since: '2025-11-25',
    method: 'tools/list',
    field: 'tools[].icons',
    where: (r) => Array.isArray(r?.tools) && r.tools.some((t: LooseJson) => t?.icons !== undefined),
  },
];
