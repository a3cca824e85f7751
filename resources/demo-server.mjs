#!/usr/bin/env node
// The demo server Switchboard offers on first run: a small, well-behaved MCP server over stdio, so a new user
// sees real tools, resources, prompts, progress and logs within a minute. Built on the MCP TypeScript SDK.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'switchboard-demo', version: '1.0.0' });

server.registerTool(
  'echo',
  { title: 'Echo', description: 'Returns the message it is given.', inputSchema: { message: z.string() } },
  async ({ message }) => ({ content: [{ type: 'text', text: message }] }),
);

server.registerTool(
  'add',
  { title: 'Add', description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
  async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
);

server.registerTool(
  'count-slowly',
  {
    title: 'Count slowly',
    description: 'Counts to `to`, one step every 200 ms, reporting progress.',
    inputSchema: { to: z.number().int().min(1).max(50).default(5) },
  },
  async ({ to }, extra) => {
    for (let i = 1; i <= to; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const token = extra._meta?.progressToken;
      if (token !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: to },
        });
      }
    }
    return { content: [{ type: 'text', text: `counted to ${to}` }] };
  },
);

server.registerTool(
  'tiny-image',
  { title: 'Tiny image', description: 'Returns a 1×1 PNG.', inputSchema: {} },
  async () => ({
    content: [
      {
        type: 'image',
        mimeType: 'image/png',
        data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      },
    ],
  }),
);

server.registerResource(
  'readme',
  'demo://readme',
  { title: 'Read me', description: 'What this server is for.', mimeType: 'text/plain' },
  async (uri) => ({
    contents: [{ uri: uri.href, text: 'This is the Switchboard demo server. Try its tools from the Explorer tab.' }],
  }),
);

server.registerResource(
  'greeting',
  new ResourceTemplate('demo://greeting/{name}', { list: undefined }),
  { title: 'Greeting', description: 'A greeting for {name}.' },
  async (uri, { name }) => ({ contents: [{ uri: uri.href, text: `Hello, ${name}!` }] }),
);

server.registerPrompt(
  'summarize',
  { title: 'Summarize', description: 'Asks for a summary of a text.', argsSchema: { text: z.string() } },
  ({ text }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Summarize this:\n\n${text}` } }] }),
);

// stderr is the log channel of a stdio server: Switchboard shows these lines in the Logs tab.
process.stderr.write('switchboard-demo: ready on stdio\n');
await server.connect(new StdioServerTransport());
