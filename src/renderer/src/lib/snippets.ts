import type { ConnectionInfo } from '../../../shared/app-api.js';

/** A ready-to-paste piece of client configuration. */
export interface Snippet {
  id: 'cursor' | 'vscode' | 'claude-desktop' | 'windsurf' | 'http' | 'sse';
  label: string;
  /** Where it goes, in words. */
  where: string;
  text: string;
}

export type Endpoint = ConnectionInfo['endpoints'][number];

/** The endpoint's URLs made absolute against the gateway's base URL. */
export function absoluteEndpoint(info: Pick<ConnectionInfo, 'baseUrl'>, endpoint: Endpoint): Endpoint {
  const abs = (url: string) => (/^https?:\/\//.test(url) ? url : info.baseUrl.replace(/\/$/, '') + url);
  return { name: endpoint.name, streamableHttp: abs(endpoint.streamableHttp), sse: abs(endpoint.sse) };
}

/** The key a client's config file lists the server under: the server's name, or "switchboard" for the gateway. */
export function entryName(endpoint: Endpoint): string {
  return endpoint.name ?? 'switchboard';
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** How a stdio-only client launches `switchboard connect` (ConnectionInfo.connectCommand). */
export type ConnectCommand = NonNullable<ConnectionInfo['connectCommand']>;

/**
 * Snippets for every client we know. `token` is the real token (copy buttons copy what is shown, so the caller
 * passes a masked token for display and the real one for copying).
 */
export function buildSnippets(
  endpoint: Endpoint,
  token: string | null,
  connect: ConnectCommand | null = null,
): Snippet[] {
  const name = entryName(endpoint);
  const http = endpoint.streamableHttp;
  const headers = token === null ? undefined : { Authorization: `Bearer ${token}` };
  // Claude Desktop only runs stdio servers: our own `switchboard connect` bridges to HTTP. With the CLI's path
  // known, it finds the URL and token through the data dir, so no secret goes into the client's file; else it
  // is told the URL and gets the token through the environment.
  const bridge = connect
    ? {
        command: connect.command,
        args: [...connect.args, ...(endpoint.name === null ? [] : ['--server', endpoint.name])],
      }
    : {
        command: 'switchboard',
        args: ['connect', '--url', http],
        ...(token === null ? {} : { env: { API_ACCESS_TOKEN: token } }),
      };
  const header = token === null ? '' : ` \\\n  -H 'Authorization: Bearer ${token}'`;
  return [
    {
      id: 'cursor',
      label: 'Cursor',
      where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project), inside "mcpServers"',
      text: json({ mcpServers: { [name]: { url: http, ...(headers && { headers }) } } }),
    },
    {
      id: 'vscode',
      label: 'VS Code',
      where: '.vscode/mcp.json in the workspace, or "MCP: Open User Configuration"',
      text: json({ servers: { [name]: { type: 'http', url: http, ...(headers && { headers }) } } }),
    },
    {
      id: 'claude-desktop',
      label: 'Claude Desktop',
      where: connect
        ? 'claude_desktop_config.json (Settings → Developer → Edit Config); runs Switchboard’s own stdio bridge'
        : 'claude_desktop_config.json (Settings → Developer → Edit Config); needs the switchboard command on PATH',
      text: json({ mcpServers: { [name]: bridge } }),
    },
    {
      id: 'windsurf',
      label: 'Windsurf',
      where: '~/.codeium/windsurf/mcp_config.json',
      text: json({ mcpServers: { [name]: { serverUrl: http, ...(headers && { headers }) } } }),
    },
    {
      id: 'http',
      label: 'Streamable HTTP',
      where: 'any client that speaks Streamable HTTP; try it with curl',
      text:
        `URL: ${http}\n${token === null ? '' : `Header: Authorization: Bearer ${token}\n`}\n` +
        `curl -s ${http}${header} \\\n  -H 'Content-Type: application/json' \\\n  -H 'Accept: application/json, text/event-stream' \\\n` +
        `  -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'`,
    },
    {
      id: 'sse',
      label: 'SSE (legacy)',
      where: 'older clients that only speak HTTP+SSE',
      text: `URL: ${endpoint.sse}\n${token === null ? '' : `Header: Authorization: Bearer ${token}\n`}`,
    },
  ];
}

/** The token as shown on screen until the user asks to see it. */
export function maskToken(token: string): string {
  return token.length <= 8 ? '••••••••' : `${token.slice(0, 4)}••••••••${token.slice(-2)}`;
}
