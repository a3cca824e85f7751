/** Sample data for the dev bridge (dev.html only). */
import type { ToolInfo } from '../../../shared/app-api.js';
import type { PreviewRow } from '../../../shared/client-formats.js';

export const devTools: ToolInfo[] = [
  {
    name: 'echo',
    description: 'Echoes back the input',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'Message to echo' } },
      required: ['message'],
    },
  },
  {
    name: 'add',
    description: 'Adds two numbers',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
  { name: 'getTinyImage', description: 'Returns the MCP_TINY_IMAGE', inputSchema: { type: 'object', properties: {} } },
  {
    name: 'annotatedMessage',
    description: 'Demonstrates how annotations can be used to provide metadata about content',
    inputSchema: {
      type: 'object',
      properties: {
        messageType: {
          type: 'string',
          enum: ['error', 'success', 'debug'],
          description: 'Type of message to demonstrate different annotation patterns',
        },
        includeImage: { type: 'boolean', default: false, description: 'Whether to include an example image' },
        tags: { type: 'array', items: { type: 'string' } },
        extra: { type: 'object', properties: { x: { type: 'number' } } },
      },
      required: ['messageType'],
    },
  },
];

export const devPreview: PreviewRow[] = [
  {
    name: 'filesystem',
    safeName: 'filesystem',
    status: 'will-run',
    commandLine: 'npx -y @modelcontextprotocol/server-filesystem /Users/alice/Desktop /Users/alice/Downloads',
    env: [],
    needsInput: [],
    problems: [],
    warnings: [],
  },
  {
    name: 'github',
    safeName: 'github',
    status: 'will-run',
    commandLine: 'docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN ghcr.io/github/github-mcp-server',
    env: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', value: '•••', secret: true, from: 'config' }],
    needsInput: [],
    problems: [],
    warnings: [],
  },
  {
    name: 'sqlite on windows',
    safeName: 'sqlite-on-windows',
    status: 'will-run',
    commandLine: "cmd /c npx -y mcp-server-sqlite-npx 'C:\\Users\\alice\\data\\app.db'",
    env: [],
    needsInput: [],
    problems: [],
    warnings: ['"cmd /c" is a Windows wrapper; on Linux run npx directly'],
  },
  {
    name: 'remote',
    safeName: 'remote',
    status: 'remote',
    commandLine: '',
    url: 'https://mcp.example.com/mcp',
    env: [],
    needsInput: [],
    problems: [],
    warnings: [],
  },
  {
    name: 'broken',
    safeName: 'broken',
    status: 'problem',
    commandLine: '',
    env: [],
    needsInput: [],
    problems: ['entry has neither "command" nor "url"'],
    warnings: [],
  },
];
