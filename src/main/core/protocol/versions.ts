import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

/** Protocol versions Switchboard speaks with clients: the SDK's list, newest first. */
export const supportedProtocolVersions: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
export const latestProtocolVersion: string = LATEST_PROTOCOL_VERSION;

/** Streamable HTTP says a request without MCP-Protocol-Version is taken as 2025-03-26. */
export const defaultHeaderProtocolVersion = '2025-03-26';

/** The version to answer a client's `initialize` with: its own if we speak it, else our newest. */
export function negotiateProtocolVersion(requested: unknown): string {
  return typeof requested === 'string' && supportedProtocolVersions.includes(requested)
    ? requested
    : latestProtocolVersion;
}
