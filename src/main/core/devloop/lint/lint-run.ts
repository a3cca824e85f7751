import type { LooseJson } from '../loose-json.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { SpawnError } from '../../supervisor/command-resolver.js';
import { listAll } from '../snapshot.js';
import { StdioClient, type StdioClientOptions } from '../stdio-client.js';
import type { LintFinding, LintRule } from './finding.js';
import { ProtocolChecker } from './protocol-checker.js';
import { sampleArguments } from './sample-args.js';

type Json = LooseJson;

export interface LintReport {
  /** Set when the server could not be run at all (spawn failed, no answer to initialize): exit 2. */
  couldNotRun?: string;
  serverInfo?: { name?: string; version?: string };
  negotiatedVersion: string | null;
  /** What was done, in order, one line each. */
  steps: string[];
  findings: LintFinding[];
}

const lists = [
  { method: 'tools/list', field: 'tools', capability: 'tools' },
  { method: 'resources/list', field: 'resources', capability: 'resources' },
  { method: 'resources/templates/list', field: 'resourceTemplates', capability: 'resources' },
  { method: 'prompts/list', field: 'prompts', capability: 'prompts' },
] as const;

class RequestFailed extends Error {}

/**
 * Runs a server through the whole client side of a session: initialize, every list (all pages), a ping, and one
 * call of each tool that says it is read-only, with arguments made from its schema. Every line the server
 * writes goes through the protocol checker as it arrives, so noise is tied to the step that caused it.
 */
export async function runLint(
  commandLine: string[],
  options: Omit<StdioClientOptions, 'onLine'> = {},
): Promise<LintReport> {
  const checker = new ProtocolChecker({ trackIds: true });
  const report: LintReport = { negotiatedVersion: null, steps: [], findings: [] };
  const stderr: string[] = [];
  let client: StdioClient;
  try {
    client = new StdioClient(commandLine, {
      ...options,
      onLine: (line) => report.findings.push(...checker.received(line)),
      onStderr: (line) => {
        stderr.push(line);
        if (stderr.length > 20) stderr.shift();
        options.onStderr?.(line);
      },
    });
  } catch (err) {
    report.couldNotRun = err instanceof SpawnError ? err.message : `cannot start the server: ${(err as Error).message}`;
    return report;
  }
  client.sent = (msg) => checker.sent(msg);
  const finding = (severity: LintFinding['severity'], rule: LintRule, message: string, method?: string) =>
    report.findings.push({ severity, rule, message, method, time: Date.now() });
  const call = async (method: string, params: Json = {}) => {
    const msg = await client.request(method, params);
    if (msg.error) throw new RequestFailed(`${msg.error.code}: ${msg.error.message}`);
    return msg.result as Json;
  };

  try {
    let init: Json;
    try {
      init = await call('initialize', {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'switchboard-lint', version: '1' },
      });
    } catch (err) {
      const tail = stderr.length ? `; its stderr ended with:\n    ${stderr.slice(-5).join('\n    ')}` : '';
      report.couldNotRun = `initialize failed: ${(err as Error).message}${tail}`;
      return report;
    }
    report.serverInfo = init?.serverInfo;
    report.negotiatedVersion = checker.negotiatedVersion;
    report.steps.push(
      `initialize: ${init?.serverInfo?.name ?? '?'} ${init?.serverInfo?.version ?? ''}, protocol ${checker.negotiatedVersion}`,
    );
    client.notify('notifications/initialized');
    const caps: Json = init?.capabilities ?? {};

    let tools: Json[] = [];
    for (const list of lists) {
      if (caps[list.capability] === undefined) continue;
      let pages = 0;
      try {
        const items = await listAll(call, list.method, list.field, () => pages++);
        if (list.method === 'tools/list') tools = items;
        report.steps.push(`${list.method}: ${items.length} in ${pages} page${pages === 1 ? '' : 's'}`);
      } catch (err) {
        if (!(err instanceof RequestFailed)) throw err;
        finding(
          'error',
          'request-failed',
          `${list.method} failed though ${list.capability} is declared: ${err.message}`,
          list.method,
        );
      }
    }
    try {
      await call('ping');
      report.steps.push('ping: ok');
    } catch (err) {
      if (!(err instanceof RequestFailed)) throw err;
      finding('error', 'request-failed', `ping failed: ${err.message}`, 'ping');
    }
    for (const tool of tools) {
      if (tool?.annotations?.readOnlyHint !== true || typeof tool.name !== 'string') continue;
      const args = sampleArguments(tool.inputSchema);
      try {
        const result = await call('tools/call', { name: tool.name, arguments: args });
        report.steps.push(`tools/call ${tool.name} ${JSON.stringify(args)}: ${result?.isError ? 'isError' : 'ok'}`);
      } catch (err) {
        if (!(err instanceof RequestFailed)) throw err;
        // Generated arguments may be refused for reasons a schema cannot say: worth a look, not an error.
        finding(
          'warning',
          'request-failed',
          `tools/call ${tool.name} ${JSON.stringify(args)} failed: ${err.message}`,
          'tools/call',
        );
      }
    }
  } catch (err) {
    const tail = stderr.length ? ` (stderr: ${stderr.slice(-3).join(' | ')})` : '';
    finding('error', 'server-exited', `${(err as Error).message}${tail}`);
  } finally {
    await client.close();
  }
  return report;
}

/** The report as the CLI prints it. */
export function formatLintReport(report: LintReport): string {
  if (report.couldNotRun) return `could not run the server: ${report.couldNotRun}\n`;
  const lines = report.steps.map((s) => `  ${s}`);
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  lines.push(
    report.findings.length === 0
      ? 'no problems found'
      : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  for (const f of report.findings) {
    lines.push(`  ${f.severity} [${f.rule}]${f.method ? ` ${f.method}` : ''}: ${f.message}`);
    if (f.frame) lines.push(`      ${f.frame}`);
  }
  return lines.join('\n') + '\n';
}
