import type { JsonRpcMessage } from '../protocol/jsonrpc.js';

/** Tools hidden from clients: `allow` (when set) lists the only visible ones, `deny` hides some. */
export interface ToolFilter {
  allow?: string[];
  deny?: string[];
}

/** Whether a tool passes the server's tool filter. */
export function toolAllowed(filter: ToolFilter | undefined, name: string): boolean {
  if (!filter) return true;
  if (filter.allow && !filter.allow.includes(name)) return false;
  return !filter.deny?.includes(name);
}

/** Drops hidden tools from a `tools/list` answer, in place (the message is about to be serialized anyway). */
export function filterToolList(msg: JsonRpcMessage, filter: ToolFilter): void {
  const result = msg.result as { tools?: Array<{ name: string }> } | undefined;
  if (Array.isArray(result?.tools)) result.tools = result.tools.filter((t) => toolAllowed(filter, t.name));
}
