import type { AppSettings, LogLevel } from '../../../../shared/app-api.js';

/** The settings the page edits, as text where the user types numbers or lists. */
export interface SettingsDraft {
  port: string;
  host: string;
  allowedOrigins: string;
  passEnvironment: boolean;
  maxProcesses: string;
  retentionDays: string;
  keepaliveIntervalMs: string;
  messageTimeoutMs: string;
  maxMessageBytes: string;
  startAtLogin: boolean;
  logLevel: LogLevel;
}

export const settingLabels: Record<keyof SettingsDraft, string> = {
  port: 'Port',
  host: 'Host',
  allowedOrigins: 'Allowed origins',
  passEnvironment: 'Pass environment',
  maxProcesses: 'Max processes',
  retentionDays: 'Keep logs and traffic (days)',
  keepaliveIntervalMs: 'Keepalive interval (ms)',
  messageTimeoutMs: 'Request timeout (ms)',
  maxMessageBytes: 'Max message size (bytes)',
  startAtLogin: 'Start at login',
  logLevel: 'Log level',
};

export function draftFrom(s: AppSettings): SettingsDraft {
  return {
    port: String(s.port),
    host: s.host,
    allowedOrigins: s.allowedOrigins.join('\n'),
    passEnvironment: s.passEnvironment,
    maxProcesses: String(s.maxProcesses),
    retentionDays: String(s.retentionDays),
    keepaliveIntervalMs: String(s.keepaliveIntervalMs),
    messageTimeoutMs: String(s.messageTimeoutMs),
    maxMessageBytes: String(s.maxMessageBytes),
    startAtLogin: s.startAtLogin,
    logLevel: s.logLevel,
  };
}

function whole(text: string, label: string, min: number, max: number): number | string {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n)) return `${label} must be a whole number`;
  if (n < min || n > max) return `${label} must be between ${min} and ${max}`;
  return n;
}

/** The changed keys as a patch for `updateSettings`, or the problems keyed by field. Pure. */
export function patchFrom(
  draft: SettingsDraft,
  current: AppSettings,
): { patch: Partial<AppSettings>; errors: Partial<Record<keyof SettingsDraft, string>> } {
  const errors: Partial<Record<keyof SettingsDraft, string>> = {};
  const next: Partial<AppSettings> = {};
  type NumberKey =
    'port' | 'maxProcesses' | 'retentionDays' | 'keepaliveIntervalMs' | 'messageTimeoutMs' | 'maxMessageBytes';
  const num = (key: NumberKey, min: number, max: number) => {
    const v = whole(draft[key], settingLabels[key], min, max);
    if (typeof v === 'string') errors[key] = v;
    else next[key] = v;
  };
  num('port', 0, 65535);
  num('maxProcesses', 1, 10_000);
  num('retentionDays', 1, 3650);
  num('keepaliveIntervalMs', 0, 3_600_000);
  num('messageTimeoutMs', 1, 86_400_000);
  num('maxMessageBytes', 1024, 1024 * 1024 * 1024);
  if (draft.host.trim() === '') errors.host = 'Host must not be empty, e.g. 127.0.0.1';
  else next.host = draft.host.trim();
  next.allowedOrigins = draft.allowedOrigins
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  next.passEnvironment = draft.passEnvironment;
  next.startAtLogin = draft.startAtLogin;
  next.logLevel = draft.logLevel;
  const patch: Partial<AppSettings> = {};
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(value) !== JSON.stringify(current[key])) patch[key] = value;
  }
  return { patch, errors };
}
