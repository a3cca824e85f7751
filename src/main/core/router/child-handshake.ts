import type { InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import { latestProtocolVersion } from '../protocol/versions.js';
import type { RouterOptions } from './router-options.js';
import type { DownstreamSession } from './session.js';

/** What the child is told its client is: the one client itself (exclusive), or Switchboard with what it honours. */
export function initializeParams(options: RouterOptions): Record<string, unknown> {
  if (options.exclusive) return options.exclusive.initialize;
  const capabilities: Record<string, unknown> = { sampling: {}, elicitation: {} };
  if (options.roots.length > 0) capabilities.roots = { listChanged: false };
  return {
    protocolVersion: latestProtocolVersion,
    capabilities,
    clientInfo: { name: 'mcp-switchboard', version: '0.1.0' },
  };
}

/** After a restart the new child may list other things: tell every session to list again. */
export function announceRestart(initResult: InitializeResult | null, sessions: Iterable<DownstreamSession>): void {
  const caps = (initResult?.capabilities ?? {}) as Record<string, { listChanged?: boolean } | undefined>;
  for (const kind of ['tools', 'resources', 'prompts']) {
    if (!caps[kind]) continue;
    for (const s of sessions) s.deliver({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` });
  }
}
