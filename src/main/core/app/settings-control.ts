import { randomBytes } from 'node:crypto';
import type { AppSettings, SettingsView } from '../../../shared/app-api.js';
import {
  describeSource,
  resolveSettings,
  settingDefinitions,
  type SettingKey,
  type Settings,
  type SettingsLayers,
} from '../config/settings.js';
import type { Store } from '../store/index.js';
import { appError } from './app-error.js';

/** Settings that belong to the app (the dashboard and the shell), not the engine; stored beside the others. */
const appDefaults = { retentionDays: 7, startAtLogin: false };
type AppOnly = typeof appDefaults;

/** Encrypts what is stored at rest (Electron's safeStorage); the headless host stores the token as it is. */
export interface SecretCodec {
  encrypt(value: string): string;
  decrypt(value: string): string;
}

export interface SettingsControlOptions {
  store: Store | null;
  env: SettingsLayers['env'];
  flags: SettingsLayers['flags'];
  /** The token in force: resolved, or generated at start when none was configured and auth is on. */
  token: string | null;
  /** Makes a new token take effect on the gateway at once. */
  applyToken(token: string): void;
  /** Applies the retention setting (days of logs and traffic kept) to the store's pruning. */
  applyRetentionDays?(days: number): void;
  codec?: SecretCodec;
}

/**
 * Reads and writes settings with their precedence (defaults < stored < environment < flags), and says where
 * each value came from. Engine settings are read when the engine starts, so their changes need a restart; the
 * token changes live.
 */
export class SettingsControl {
  private current: string | null;

  constructor(private readonly o: SettingsControlOptions) {
    this.current = o.token;
  }

  token(): string | null {
    return this.current;
  }

  /** Days of logs and traffic kept: saved in settings, else 7. */
  retentionDays(): number {
    const stored = this.o.store?.settings.all().retentionDays;
    return typeof stored === 'number' ? stored : appDefaults.retentionDays;
  }

  /** The token in force once the host has decided (resolved, generated, or none with --no-auth). */
  adopt(token: string | null): void {
    this.current = token;
  }

  resolved() {
    return resolveSettings({ stored: this.stored(), env: this.o.env, flags: this.o.flags });
  }

  view(): SettingsView {
    const { settings, sources } = this.resolved();
    const stored = this.o.store?.settings.all() ?? {};
    const app: AppOnly = { ...appDefaults, ...pick<AppOnly, keyof AppOnly>(stored, ['retentionDays', 'startAtLogin']) };
    const { token: _token, ...visible } = settings;
    const view: AppSettings = {
      ...visible,
      logLevel: visible.logLevel === 'silent' ? 'error' : visible.logLevel,
      ...app,
    };
    const described: Record<string, string> = {};
    for (const [key, source] of Object.entries(sources)) described[key] = describeSource(source);
    for (const key of Object.keys(appDefaults)) described[key] = key in stored ? 'saved in settings' : 'the default';
    const needsRestart = (Object.keys(settingDefinitions) as SettingKey[]).filter((k) => k !== 'token');
    return { settings: view, sources: described, needsRestart };
  }

  update(patch: Partial<AppSettings>): SettingsView {
    const store = this.o.store;
    if (!store) throw appError('unavailable', 'settings cannot be saved: this host runs without a data store');
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'token') throw appError('invalid', 'use "regenerate token" to change the token');
      if (key in appDefaults) {
        if (typeof value !== typeof appDefaults[key as keyof AppOnly]) {
          throw appError('invalid', `${key} must be a ${typeof appDefaults[key as keyof AppOnly]}`);
        }
        if (key === 'retentionDays' && !(Number.isInteger(value) && (value as number) >= 1)) {
          throw appError('invalid', 'retentionDays must be a whole number of days, at least 1');
        }
      } else if (!(key in settingDefinitions)) throw appError('invalid', `there is no setting named "${key}"`);
      else {
        const trial = resolveSettings({
          stored: { ...this.stored(), [key]: value },
          env: this.o.env,
          flags: this.o.flags,
        });
        const problem = trial.ignored.find((i) => i.key === key);
        if (problem) throw appError('invalid', problem.message.replace(/; using .*$/, ''));
      }
      const saved = store.settings.set(key, value);
      if (!saved.ok) throw appError('internal', saved.message);
      if (key === 'retentionDays') this.o.applyRetentionDays?.(value as number);
    }
    return this.view();
  }

  regenerateToken(): string {
    const { sources } = this.resolved();
    const source = sources.token;
    if (source.layer === 'env' || source.layer === 'flag') {
      throw appError('conflict', `the token is ${describeSource(source)}; change it there`);
    }
    if (this.current === null) throw appError('conflict', 'auth is off (--no-auth): there is no token to regenerate');
    const token = randomBytes(24).toString('base64url');
    this.saveToken(token);
    this.current = token;
    this.o.applyToken(token);
    return token;
  }

  /** Keeps a generated token, so clients configured with it keep working after a restart. */
  saveToken(token: string): void {
    this.o.store?.settings.set('token', this.o.codec ? `enc:${this.o.codec.encrypt(token)}` : token);
  }

  private stored(): Record<string, unknown> {
    const all = { ...(this.o.store?.settings.all() ?? {}) };
    if (typeof all.token === 'string' && all.token.startsWith('enc:') && this.o.codec) {
      all.token = this.o.codec.decrypt(all.token.slice(4));
    }
    return all;
  }
}

function pick<T extends object, K extends keyof T>(from: Record<string, unknown>, keys: K[]): Partial<T> {
  return Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k as string]])) as Partial<T>;
}

export type { Settings };
