import type { LooseJson } from '../loose-json.js';
import { JSONRPCMessageSchema, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { cutFrame, type LintFinding, type LintRule } from './finding.js';
import { JsonSchemaCheck } from './json-schema-check.js';
import { describeIssues, fieldsSince, resultSchemas } from './result-schemas.js';

type Json = LooseJson;

export interface CheckerOptions {
  /**
   * Match responses to requests by id (the linter sees every line). The live checker in `serve` sees only frames
   * the router matched already, so it passes the method along instead and turns this off.
   */
  trackIds: boolean;
  now?: () => number;
}

/** Notifications a server may only send when its capabilities say so. */
const notificationNeeds: Record<string, { path: [string, string?]; what: string }> = {
  'notifications/tools/list_changed': { path: ['tools', 'listChanged'], what: 'tools.listChanged' },
  'notifications/prompts/list_changed': { path: ['prompts', 'listChanged'], what: 'prompts.listChanged' },
  'notifications/resources/list_changed': { path: ['resources', 'listChanged'], what: 'resources.listChanged' },
  'notifications/resources/updated': { path: ['resources', 'subscribe'], what: 'resources.subscribe' },
  'notifications/message': { path: ['logging'], what: 'logging' },
};
/** Requests a server may only send when the client declared the capability. */
const requestNeeds: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/**
 * Checks what a server sends against the MCP schema (the SDK's zod schemas) for the version it negotiated: JSON
 * and JSON-RPC framing, responses matched to requests, result shapes by method, tool schemas that compile,
 * capabilities used without being declared. One checker per connection; it keeps only pending request ids.
 */
export class ProtocolChecker {
  private readonly pending = new Map<string, string>();
  private readonly schemas = new JsonSchemaCheck();
  private readonly now: () => number;
  private serverCapabilities: Json | null = null;
  private clientCapabilities: Json | null = null;
  /** The version the server answered `initialize` with. */
  negotiatedVersion: string | null = null;

  constructor(private readonly options: CheckerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A message the client side sent: requests are remembered; `initialize` tells what the client declared. */
  sent(msg: Json): void {
    if (typeof msg?.method !== 'string') return;
    if (msg.method === 'initialize') this.clientCapabilities = msg.params?.capabilities ?? {};
    if (this.options.trackIds && msg.id !== undefined) this.pending.set(idKey(msg.id), msg.method);
  }

  /** Requests sent and not answered yet (the linter waits for none before it stops). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** One line the server wrote on stdout. `method`: the request a response answers, when the caller knows it. */
  received(line: string, method?: string): LintFinding[] {
    const out: LintFinding[] = [];
    const add = (severity: LintFinding['severity'], rule: LintRule, message: string, m?: string) =>
      out.push({ severity, rule, message, method: m, frame: cutFrame(line), time: this.now() });
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      add('error', 'non-json-stdout', 'a line on stdout is not JSON (stdout is for JSON-RPC only; log to stderr)');
      return out;
    }
    for (const msg of Array.isArray(parsed) ? parsed : [parsed]) this.message(msg as Json, method, add);
    return out;
  }

  private message(
    msg: Json,
    known: string | undefined,
    add: (s: LintFinding['severity'], r: LintRule, m: string, method?: string) => void,
  ): void {
    const isNotificationName = typeof msg?.method === 'string' && msg.method.startsWith('notifications/');
    if (isNotificationName && msg.id !== undefined) {
      add('error', 'notification-with-id', `${msg.method} carries an id: notifications must not have one`, msg.method);
      return;
    }
    const framing = JSONRPCMessageSchema.safeParse(msg);
    if (!framing.success) {
      add('error', 'malformed-jsonrpc', `not a valid JSON-RPC 2.0 message: ${describeIssues(framing.error)}`);
      return;
    }
    if (typeof msg.method === 'string') return this.fromServer(msg, add);
    const method = known ?? (this.options.trackIds ? this.pending.get(idKey(msg.id)) : undefined);
    if (this.options.trackIds) {
      if (method === undefined && known === undefined) {
        add('error', 'unknown-response-id', `a response to id ${JSON.stringify(msg.id)}, which was never sent`);
        return;
      }
      this.pending.delete(idKey(msg.id));
    }
    if (method === undefined || msg.result === undefined) return;
    this.result(method, msg.result, add);
  }

  private result(
    method: string,
    result: Json,
    add: (s: LintFinding['severity'], r: LintRule, m: string, method?: string) => void,
  ): void {
    const schema = resultSchemas[method];
    const shape = schema?.safeParse(result);
    if (shape && !shape.success) {
      add(
        'error',
        'result-shape',
        `the ${method} result does not match the schema: ${describeIssues(shape.error)}`,
        method,
      );
    }
    if (method === 'initialize') {
      this.serverCapabilities = result?.capabilities ?? {};
      this.negotiatedVersion = typeof result?.protocolVersion === 'string' ? result.protocolVersion : null;
      if (this.negotiatedVersion && !SUPPORTED_PROTOCOL_VERSIONS.includes(this.negotiatedVersion)) {
        add(
          'error',
          'version-mismatch',
          `initialize answered protocol version ${this.negotiatedVersion}, which no MCP client knows (${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
          method,
        );
      }
    }
    if (method === 'tools/list' && Array.isArray(result?.tools)) {
      for (const tool of result.tools as Json[]) {
        for (const field of ['inputSchema', 'outputSchema'] as const) {
          if (tool?.[field] === undefined) continue; // a missing inputSchema is a result-shape error already
          const why = this.schemas.problem(tool?.[field]);
          if (why)
            add(
              'error',
              'invalid-tool-schema',
              `tool "${tool?.name}": ${field} is not a valid JSON Schema: ${why}`,
              method,
            );
        }
      }
    }
    const version = this.negotiatedVersion;
    for (const f of fieldsSince) {
      if (version && version < f.since && f.method === method && f.where(result)) {
        add(
          'warning',
          'newer-than-negotiated',
          `${f.field} exists only from protocol ${f.since}, but this session negotiated ${version}`,
          method,
        );
      }
    }
  }

  private fromServer(msg: Json, add: (s: LintFinding['severity'], r: LintRule, m: string, method?: string) => void) {
    const need = notificationNeeds[msg.method];
    if (need && msg.id === undefined && this.serverCapabilities) {
      const [top, sub] = need.path;
      const declared = sub ? this.serverCapabilities[top]?.[sub] === true : this.serverCapabilities[top] !== undefined;
      if (!declared) {
        add(
          'error',
          'undeclared-capability',
          `the server sent ${msg.method} without declaring the ${need.what} capability in initialize`,
          msg.method,
        );
      }
    }
    const clientNeeds = requestNeeds[msg.method];
    if (clientNeeds && msg.id !== undefined && this.clientCapabilities && !this.clientCapabilities[clientNeeds]) {
      add(
        'error',
        'undeclared-capability',
        `the server sent ${msg.method}, but the client did not declare the ${clientNeeds} capability`,
        msg.method,
      );
    }
  }
}

/** 1 and "1" are different ids; the key keeps them apart. */
function idKey(id: unknown): string {
  return `${typeof id}:${String(id)}`;
}
