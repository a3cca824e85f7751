import { formatLintReport, runLint } from '../../core/devloop/lint/lint-run.js';
import { envPairs, splitCommandLine } from './command-line.js';

export const lintUsage = `Usage:
  switchboard lint [--json] [--env K=V]... [--pass-environment] [--timeout-ms N] -- COMMAND [ARGS...]

Runs the server through initialize, every list (all pages), a ping and one call of each tool marked read-only
(arguments made from its input schema), checking everything it sends against the MCP schema of the negotiated
version. Exit 0 when no error was found, 1 when any was, 2 when the server could not be run.
`;

/** `switchboard lint`: resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const parsed = splitCommandLine(
    argv,
    {
      json: { type: 'boolean' },
      env: { type: 'string', multiple: true },
      'pass-environment': { type: 'boolean' },
      'timeout-ms': { type: 'string' },
    },
    'lint',
  );
  if (!parsed.ok) return usageError(parsed.message);
  const env = envPairs(parsed.values.env);
  if (typeof env === 'string') return usageError(env);
  const timeoutMs = Number(parsed.values['timeout-ms'] ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usageError('--timeout-ms: expected a positive integer');

  const report = await runLint(parsed.commandLine, {
    env,
    passEnvironment: parsed.values['pass-environment'] ?? false,
    timeoutMs,
  });
  const code = report.couldNotRun ? 2 : report.findings.some((f) => f.severity === 'error') ? 1 : 0;
  if (parsed.values.json) process.stdout.write(JSON.stringify({ exitCode: code, ...report }, null, 2) + '\n');
  else if (report.couldNotRun) process.stderr.write(`switchboard lint: ${formatLintReport(report)}`);
  else process.stdout.write(formatLintReport(report));
  return code;
}

function usageError(message: string): number {
  process.stderr.write(`switchboard lint: ${message}\n\n${lintUsage}`);
  return 2;
}
