import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { SpawnError } from '../../supervisor/command-resolver.js';
import { StdioClient, type StdioClientOptions } from '../stdio-client.js';
import { compareResponses, type Difference } from './compare.js';
import type { Recording } from './recording.js';

export interface ReplayResult {
  seq: number;
  method: string;
  /** The tool, prompt or resource the request named. */
  target?: string;
  status: 'same' | 'different' | 'not-compared' | 'failed';
  differences: Difference[];
  note?: string;
}

export interface ReplayReport {
  server: string;
  /** Set when the server could not be started or initialized: exit 2. */
  couldNotRun?: string;
  results: ReplayResult[];
}

/**
 * Sends a recording's client requests, in order, to a fresh run of a server and compares each answer with the one
 * recorded (ids, timestamps and the `ignore` paths aside). Requests go one at a time, as a golden test wants: the
 * order of effects is the recorded order.
 */
export async function runReplay(
  recording: Recording,
  commandLine: string[],
  ignore: readonly string[],
  options: Omit<StdioClientOptions, 'onLine'> = {},
): Promise<ReplayReport> {
  const report: ReplayReport = { server: recording.server, results: [] };
  const stderr: string[] = [];
  let client: StdioClient;
  try {
    client = new StdioClient(commandLine, {
      ...options,
      onStderr: (line) => {
        stderr.push(line);
        if (stderr.length > 5) stderr.shift();
      },
    });
  } catch (err) {
    report.couldNotRun = err instanceof SpawnError ? err.message : (err as Error).message;
    return report;
  }
  try {
    const init = await client
      .request('initialize', {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'switchboard-replay', version: '1' },
        ...recording.initializeParams,
      })
      .catch((err: Error) => ({ error: { message: err.message } }));
    if (init.error) {
      const tail = stderr.length ? `; its stderr ended with:\n    ${stderr.join('\n    ')}` : '';
      report.couldNotRun = `initialize failed: ${init.error.message}${tail}`;
      return report;
    }
    client.notify('notifications/initialized');
    for (const exchange of recording.exchanges) {
      const target = exchange.params.name ?? exchange.params.uri;
      const base = { seq: exchange.seq, method: exchange.method, ...(typeof target === 'string' ? { target } : {}) };
      let answer;
      try {
        answer = await client.request(exchange.method, exchange.params);
      } catch (err) {
        report.results.push({ ...base, status: 'failed', differences: [], note: (err as Error).message });
        continue;
      }
      if (!exchange.response) {
        report.results.push({ ...base, status: 'not-compared', differences: [], note: exchange.missing });
        continue;
      }
      const differences = compareResponses(exchange.response, answer, ignore);
      report.results.push({ ...base, status: differences.length ? 'different' : 'same', differences });
    }
  } finally {
    await client.close();
  }
  return report;
}

/** Exit code: 2 could not run, 1 any response differs (or failed), 0 every compared response matches. */
export function replayExitCode(report: ReplayReport): number {
  if (report.couldNotRun) return 2;
  return report.results.some((r) => r.status === 'different' || r.status === 'failed') ? 1 : 0;
}

/** The report as the CLI prints it: every request with its status, and each difference with before → after. */
export function formatReplayReport(report: ReplayReport): string {
  if (report.couldNotRun) return `could not run the server: ${report.couldNotRun}\n`;
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  const lines: string[] = [];
  for (const r of report.results) {
    const what = `#${r.seq} ${r.method}${r.target ? ` ${r.target}` : ''}`;
    const n = r.differences.length;
    const status = r.status === 'different' ? `${n} difference${n === 1 ? '' : 's'}` : r.status;
    lines.push(`  ${what}: ${status}${r.note ? ` (${r.note})` : ''}`);
    for (const d of r.differences) lines.push(`      ${d.path}: ${show(d.before)} → ${show(d.after)}`);
  }
  const count = (s: ReplayResult['status']) => report.results.filter((r) => r.status === s).length;
  lines.push(
    `${count('same')} same, ${count('different')} different, ${count('failed')} failed, ${count('not-compared')} not compared`,
  );
  return lines.join('\n') + '\n';
}
