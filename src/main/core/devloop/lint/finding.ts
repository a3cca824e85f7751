/** One thing the protocol linter found wrong with what a server sent. */
export interface LintFinding {
  severity: 'error' | 'warning';
  /** A stable id for the check, e.g. `result-shape`, `non-json-stdout`. */
  rule: LintRule;
  message: string;
  /** The request method the frame answers, or the frame's own method. */
  method?: string;
  /** The offending frame as the server sent it (cut to a readable length). */
  frame?: string;
  time: number;
}

export type LintRule =
  | 'non-json-stdout'
  | 'malformed-jsonrpc'
  | 'unknown-response-id'
  | 'notification-with-id'
  | 'result-shape'
  | 'invalid-tool-schema'
  | 'undeclared-capability'
  | 'version-mismatch'
  | 'newer-than-negotiated'
  | 'request-failed'
  | 'server-exited';

export const lintRules: readonly LintRule[] = [
  'non-json-stdout',
  'malformed-jsonrpc',
  'unknown-response-id',
  'notification-with-id',
  'result-shape',
  'invalid-tool-schema',
  'undeclared-capability',
  'version-mismatch',
  'newer-than-negotiated',
  'request-failed',
  'server-exited',
];

const FRAME_CHARS = 2000;

export function cutFrame(line: string): string {
  return line.length > FRAME_CHARS ? `${line.slice(0, FRAME_CHARS)}… (${line.length} chars)` : line;
}
