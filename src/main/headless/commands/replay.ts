import { readFileSync } from 'node:fs';
import { JsonPathError, parseJsonPath } from '../../core/devloop/replay/json-path.js';
import { RecordingError, readRecording } from '../../core/devloop/replay/recording.js';
import { formatReplayReport, replayExitCode, runReplay } from '../../core/devloop/replay/replay-run.js';
import { envPairs, splitCommandLine } from './command-line.js';

export const replayUsage = `Usage:
  switchboard replay FILE.jsonl [--ignore JSONPATH]... [--server NAME] [--json] [--env K=V]... -- COMMAND [ARGS...]

Replays the client requests of a traffic export (the dashboard's "Export .jsonl"; format in docs/replay.md), in
order, against the server COMMAND starts, and compares each response with the recorded one, ignoring ids,
timestamps and each --ignore path (e.g. --ignore '$.result.content[0].text' or --ignore '$..requestId').
Exit 0 when every response matches, 1 when any differs, 2 when the replay could not run.
`;

/** `switchboard replay`: resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const parsed = splitCommandLine(
    argv,
    {
      ignore: { type: 'string', multiple: true },
      server: { type: 'string' },
      json: { type: 'boolean' },
      env: { type: 'string', multiple: true },
      'pass-environment': { type: 'boolean' },
      'timeout-ms': { type: 'string' },
    },
    'replay',
  );
  if (!parsed.ok) return usageError(parsed.message);
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) return usageError('replay needs the recording: switchboard replay FILE.jsonl -- COMMAND');
  if (extra.length > 0) return usageError(`unexpected ${extra.join(' ')} (the server's command goes after --)`);
  const env = envPairs(parsed.values.env);
  if (typeof env === 'string') return usageError(env);
  const ignore = parsed.values.ignore ?? [];
  const timeoutMs = Number(parsed.values['timeout-ms'] ?? 30_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usageError('--timeout-ms: expected a positive integer');
  try {
    ignore.forEach(parseJsonPath);
  } catch (err) {
    if (err instanceof JsonPathError) return usageError(`--ignore ${err.message}`);
    throw err;
  }
  let recording;
  try {
    recording = readRecording(readFileSync(file, 'utf8'), parsed.values.server);
  } catch (err) {
    if (!(err instanceof RecordingError) && !(err as NodeJS.ErrnoException).code) throw err;
    process.stderr.write(`switchboard replay: ${file}: ${(err as Error).message}\n`);
    return 2;
  }
  const report = await runReplay(recording, parsed.commandLine, ignore, {
    env,
    passEnvironment: parsed.values['pass-environment'] ?? false,
    timeoutMs,
  });
  const code = replayExitCode(report);
  if (parsed.values.json) process.stdout.write(JSON.stringify({ exitCode: code, ...report }, null, 2) + '\n');
  else if (report.couldNotRun) process.stderr.write(`switchboard replay: ${formatReplayReport(report)}`);
  else {
    const n = recording.exchanges.length;
    process.stdout.write(`Replaying ${n} request${n === 1 ? '' : 's'} of "${recording.server}" from ${file}\n`);
    process.stdout.write(formatReplayReport(report));
  }
  return code;
}

function usageError(message: string): number {
  process.stderr.write(`switchboard replay: ${message}\n\n${replayUsage}`);
  return 2;
}
