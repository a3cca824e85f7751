import type { LogLevel, LogLine } from '../../../../shared/app-api.js';

export const levelRank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LogFilter {
  server: string;
  /** The lowest level shown. */
  minLevel: LogLevel;
  text: string;
  stderrOnly: boolean;
}

/** Lines about `server`: its own stderr and the engine's lines that name it. Pure. */
export function logPredicate(filter: LogFilter): (line: LogLine) => boolean {
  const min = levelRank[filter.minLevel];
  const text = filter.text.trim().toLowerCase();
  return (line) =>
    (line.server === filter.server || line.source === filter.server) &&
    levelRank[line.level] >= min &&
    (!filter.stderrOnly || line.stderr === true) &&
    (text === '' || line.message.toLowerCase().includes(text));
}
