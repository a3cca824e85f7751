/**
 * Structured engine logs. Levels come from TRANSPORT_LOG_LEVEL. Log lines never carry tokens, headers or env
 * values: callers pass names and counts, and `redact` scrubs anything that looks like a bearer token.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LogRecord {
  time: number;
  level: Exclude<LogLevel, 'silent'>;
  source: string;
  message: string;
  fields?: Record<string, unknown>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(source: string): Logger;
}

export type LogSink = (record: LogRecord) => void;

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const v = value?.toLowerCase();
  return v && v in order ? (v as LogLevel) : fallback;
}

export function redact(text: string): string {
  return text.replace(/(bearer\s+)[^\s"',]+/gi, '$1[redacted]');
}

export function createLogger(level: LogLevel, sink: LogSink, source = 'switchboard'): Logger {
  const threshold = order[level];
  const log = (lvl: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < threshold) return;
    sink({ time: Date.now(), level: lvl, source, message: redact(message), fields });
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (sub) => createLogger(level, sink, `${source}:${sub}`),
  };
}

/** Human-readable lines on stderr, for the CLI. */
export const stderrSink: LogSink = (r) => {
  const fields = r.fields && Object.keys(r.fields).length ? ' ' + JSON.stringify(r.fields) : '';
  process.stderr.write(
    `${new Date(r.time).toISOString()} ${r.level.toUpperCase().padEnd(5)} [${r.source}] ${r.message}${fields}\n`,
  );
};
