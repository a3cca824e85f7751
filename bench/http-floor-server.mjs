#!/usr/bin/env node
// The benchmark's reference floor: a bare node:http server that answers the echo itself, speaking just enough
// Streamable HTTP for the benchmark's client (initialize → Mcp-Session-Id, notifications → 202, calls → JSON).
// No gateway logic and no child process: what one node:http hop costs on this machine.
// Usage: node bench/http-floor-server.mjs   (prints "listening on http://127.0.0.1:PORT")
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const sessions = new Set();

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'DELETE') {
      sessions.delete(req.headers['mcp-session-id']);
      return res.writeHead(200).end();
    }
    let msg;
    try {
      msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return res.writeHead(400).end();
    }
    if (msg.id === undefined) return res.writeHead(202).end();
    let sessionId = req.headers['mcp-session-id'];
    let result;
    if (msg.method === 'initialize') {
      sessionId = randomUUID();
      sessions.add(sessionId);
      result = {
        protocolVersion: msg.params?.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'floor' },
      };
    } else if (!sessions.has(sessionId)) {
      return res.writeHead(404).end();
    } else {
      result = { content: [{ type: 'text', text: `fixture: ${msg.params?.arguments?.message ?? ''}` }] };
    }
    const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'mcp-session-id': sessionId,
    });
    res.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
process.on('SIGINT', () => server.close(() => process.exit(0)).closeAllConnections());
