import type { EngineOptions } from '../engine.js';
import {
  settingDefinitions,
  settingsSchema,
  type SettingDefinition,
  type SettingKey,
  type Settings,
} from './settings-schema.js';

export {
  logLevels,
  restartsNeeded,
  settingDefinitions,
  settingsNeedingRestart,
  settingsSchema,
  type RestartScope,
  type SettingDefinition,
  type SettingKey,
  type Settings,
} from './settings-schema.js';

/** Which layer a setting's value came from, so the UI can say "set by TRANSPORT_SSE_PORT". */
export type SettingSource =
  { layer: 'default' } | { layer: 'stored' } | { layer: 'env'; name: string } | { layer: 'flag'; name: string };

export interface SettingIssue {
  key: SettingKey;
  layer: 'stored' | 'env' | 'flag';
  message: string;
}

/** One or more values from the environment or the command line are unusable; `message` names each. */
export class SettingsError extends Error {
  readonly kind = 'invalid_setting';
  constructor(readonly issues: SettingIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'SettingsError';
  }
}

export interface SettingsLayers {
  /** What the user saved in the dashboard (any JSON; unknown keys are ignored). */
  stored?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Flag values by setting key, as the CLI parsed them (text, numbers, booleans, lists); undefined = not given. */
  flags?: Partial<Record<SettingKey, unknown>>;
}

export interface ResolvedSettings {
  settings: Settings;
  sources: Record<SettingKey, SettingSource>;
  /** Stored values that were unusable and fell back to a lower layer. */
  ignored: SettingIssue[];
}

/**
 * Layers defaults < stored < environment < flags. A bad env or flag value throws a SettingsError naming the
 * variable and the value (the person starting Switchboard can fix it now); a bad stored value is only reported
 * in `ignored`, because failing on it would lock the user out of the dashboard where it is fixed.
 */
export function resolveSettings(layers: SettingsLayers = {}): ResolvedSettings {
  // A copy: zod hands out the same default array on every parse, and callers may mutate what we return.
  const settings = structuredClone(settingsSchema.parse({}));
  const sources = {} as Record<SettingKey, SettingSource>;
  const ignored: SettingIssue[] = [];
  const errors: SettingIssue[] = [];

  for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
    const def = settingDefinitions[key];
    sources[key] = { layer: 'default' };
    const set = (value: unknown, source: SettingSource) => {
      (settings as Record<SettingKey, unknown>)[key] = value;
      sources[key] = source;
    };

    const stored = layers.stored?.[key];
    if (stored !== undefined) {
      const r = check(key, def, stored, `stored setting ${key}`, '=');
      if (r.ok) set(r.value, { layer: 'stored' });
      else
        ignored.push({ key, layer: 'stored', message: `${r.message}; using ${describeSource(sources[key])} instead` });
    }
    // An empty variable counts as unset, as shells and compose files often export NAME= for "nothing".
    const fromEnv = layers.env?.[def.env];
    if (fromEnv !== undefined && fromEnv !== '') {
      const r = check(key, def, fromEnv, def.env, '=');
      if (r.ok) set(r.value, { layer: 'env', name: def.env });
      else errors.push({ key, layer: 'env', message: r.message });
    }
    const flag = layers.flags?.[key];
    if (flag !== undefined) {
      const r = check(key, def, flag, def.flag, ' ');
      // `token: null` from the CLI is --no-auth: name the flag the user actually typed.
      if (r.ok) set(r.value, { layer: 'flag', name: key === 'token' && flag === null ? '--no-auth' : def.flag });
      else errors.push({ key, layer: 'flag', message: r.message });
    }
  }
  if (errors.length > 0) throw new SettingsError(errors);
  return { settings, sources, ignored };
}

/**
 * The engine options the settings decide, for every host (`run`, `serve`, the desktop app), so a setting means
 * the same thing whichever command reads it.
 */
export function engineOptionsFor(s: Settings): Partial<EngineOptions> {
  return {
    host: s.host,
    port: s.port,
    allowedOrigins: s.allowedOrigins,
    passEnvironment: s.passEnvironment,
    maxProcesses: s.maxProcesses,
    handshakeTimeoutMs: s.connectionTimeoutMs,
    keepaliveMs: s.keepaliveIntervalMs,
    stdio: { maxLineBytes: s.maxMessageBytes },
    router: { requestTimeoutMs: s.messageTimeoutMs, maxQueuedWhileStarting: s.maxQueueSize },
    restart: { initialDelayMs: Math.max(1, s.reconnectDelayMs), maxFailures: Math.max(1, s.maxReconnectAttempts) },
  };
}

/** "default", "saved in settings", "set by TRANSPORT_SSE_PORT", "set by --port". */
export function describeSource(source: SettingSource): string {
  if (source.layer === 'default') return 'the default';
  if (source.layer === 'stored') return 'saved in settings';
  return `set by ${source.name}`;
}

type Checked = { ok: true; value: unknown } | { ok: false; message: string };

function check(key: SettingKey, def: SettingDefinition, raw: unknown, origin: string, joiner: string): Checked {
  const value = typeof raw === 'string' ? fromText(def, raw) : raw;
  // The schema itself decides what null means: "no token" for `token` (--no-auth), invalid everywhere else.
  const parsed = settingsSchema.shape[key].safeParse(value);
  if (parsed.success && value !== undefined) return { ok: true, value: parsed.data };
  const shown = def.secret ? '(hidden)' : typeof raw === 'string' ? raw : JSON.stringify(raw);
  return { ok: false, message: `${origin}${joiner}${shown} is not ${def.expected}` };
}

function fromText(def: SettingDefinition, text: string): unknown {
  const value = text.trim();
  switch (def.text) {
    case 'int':
      // Number('') is 0 and Number('1e3') is 1000: accept plain digits only, so typos are reported.
      return /^-?\d+$/.test(value) ? Number(value) : text;
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(value)) return true;
      if (/^(0|false|no|off)$/i.test(value)) return false;
      return text;
    case 'list':
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'lowercase':
      return value.toLowerCase();
    case 'string':
      return value;
  }
}
