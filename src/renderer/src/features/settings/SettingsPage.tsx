import { cloneElement, useEffect, useMemo, useState, type FormEvent, type ReactElement } from 'react';
import type { SettingsView } from '../../../../shared/app-api.js';
import { useServers, useSettings, useStores } from '../../app-context.js';
import { ErrorText, Loading } from '../../components/feedback.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../components/use-action.js';
import { formatBytes, formatDuration } from '../../lib/format.js';
import { draftFrom, patchFrom, settingLabels, type SettingsDraft } from './settings-form.js';
import { TokenCard } from './TokenCard.js';

/** A flag or an environment variable set this key: the page cannot change it, so the control is disabled. */
function isOverridden(view: SettingsView, name: string): boolean {
  return view.sources[name]?.startsWith('set by') === true;
}

/** "30000" → "= 30 s"; nothing for what is not a number yet (the field shows its own error). */
function human(text: string, format: (n: number) => string): string {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? ` (${format(n)})` : '';
}

function Source({ view, name }: { view: SettingsView; name: string }) {
  const source = view.sources[name];
  const overridden = isOverridden(view, name);
  return (
    <span className="row" style={{ gap: '0.3rem' }}>
      {source && (
        <span
          className={`badge ${overridden ? 'warn' : ''}`}
          title={
            overridden ? 'Switchboard was started with this; remove it there to change the value here.' : undefined
          }
        >
          {source}
        </span>
      )}
      {view.needsRestart.includes(name) && <span className="badge info">needs a restart</span>}
    </span>
  );
}

function SettingsForm({ view }: { view: SettingsView }) {
  const { save } = useStores().settings.getState();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFrom(view.settings));
  const [saved, setSaved] = useState<string[] | null>(null);
  const action = useAction();
  const { patch, errors } = useMemo(() => patchFrom(draft, view.settings), [draft, view.settings]);
  const changed = Object.keys(patch);
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(null);
  };
  const webHost = useServers((s) => s.appInfo?.host === 'web');
  const field = (key: keyof SettingsDraft, control: ReactElement<Record<string, unknown>>, hint?: string) => {
    const overridden = isOverridden(view, key);
    return (
      <Field
        label={settingLabels[key]}
        hint={overridden ? `${view.sources[key]}: change it there to change it here. ${hint ?? ''}` : hint}
        error={errors[key]}
        extra={<Source view={view} name={key} />}
      >
        {cloneElement(control, { disabled: overridden })}
      </Field>
    );
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errors).length > 0 || changed.length === 0) return;
    if (await action.run(() => save(patch))) setSaved(changed);
  };
  const restartKeys = saved?.filter((k) => view.needsRestart.includes(k)) ?? [];
  return (
    <form className="stack settings-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <fieldset>
        <legend>Gateway</legend>
        <div className="grid-2">
          {field(
            'host',
            <input value={draft.host} onChange={(e) => set('host', e.target.value)} />,
            '127.0.0.1 keeps it on this machine; 0.0.0.0 opens it to your network.',
          )}
          {field(
            'port',
            <input inputMode="numeric" value={draft.port} onChange={(e) => set('port', e.target.value)} />,
            '0 picks a free port at start.',
          )}
        </div>
        {field(
          'allowedOrigins',
          <textarea rows={3} value={draft.allowedOrigins} onChange={(e) => set('allowedOrigins', e.target.value)} />,
          'Web pages allowed to call the gateway (CORS), one per line, e.g. http://localhost:5173.',
        )}
      </fieldset>
      <fieldset>
        <legend>Servers</legend>
        <div className="grid-2">
          {field(
            'maxProcesses',
            <input
              inputMode="numeric"
              value={draft.maxProcesses}
              onChange={(e) => set('maxProcesses', e.target.value)}
            />,
            'Server processes running at once, at most.',
          )}
          {field(
            'retentionDays',
            <input
              inputMode="numeric"
              value={draft.retentionDays}
              onChange={(e) => set('retentionDays', e.target.value)}
            />,
            'Older logs and traffic are deleted.',
          )}
          {field(
            'messageTimeoutMs',
            <input
              inputMode="numeric"
              value={draft.messageTimeoutMs}
              onChange={(e) => set('messageTimeoutMs', e.target.value)}
            />,
            `A request with no answer or progress for this long fails, and the server is told to cancel it.${human(draft.messageTimeoutMs, formatDuration)}`,
          )}
          {field(
            'keepaliveIntervalMs',
            <input
              inputMode="numeric"
              value={draft.keepaliveIntervalMs}
              onChange={(e) => set('keepaliveIntervalMs', e.target.value)}
            />,
            `Pings on idle streams, so proxies and sleeping laptops keep them open. 0 turns them off.${human(draft.keepaliveIntervalMs, formatDuration)}`,
          )}
          {field(
            'maxMessageBytes',
            <input
              inputMode="numeric"
              value={draft.maxMessageBytes}
              onChange={(e) => set('maxMessageBytes', e.target.value)}
            />,
            `A server's message larger than this fails only its own request.${human(draft.maxMessageBytes, formatBytes)}`,
          )}
          {field(
            'logLevel',
            <select
              value={draft.logLevel}
              onChange={(e) => set('logLevel', e.target.value as SettingsDraft['logLevel'])}
            >
              <option value="debug">debug</option>
              <option value="info">info</option>
              <option value="warn">warn</option>
              <option value="error">error</option>
            </select>,
          )}
        </div>
        <div className="stack" style={{ marginTop: '0.75rem' }}>
          <label className="check">
            <input
              type="checkbox"
              disabled={isOverridden(view, 'passEnvironment')}
              checked={draft.passEnvironment}
              onChange={(e) => set('passEnvironment', e.target.checked)}
            />
            Pass Switchboard’s whole environment to every server <Source view={view} name="passEnvironment" />
          </label>
          <span className="muted small">
            Off: servers get a safe allowlist (PATH, HOME, …) plus their own variables.
          </span>
          {/* A browser tab cannot start anything at login: only the desktop app offers it. */}
          {!webHost && (
            <label className="check">
              <input
                type="checkbox"
                disabled={isOverridden(view, 'startAtLogin')}
                checked={draft.startAtLogin}
                onChange={(e) => set('startAtLogin', e.target.checked)}
              />
              Start Switchboard when I log in <Source view={view} name="startAtLogin" />
            </label>
          )}
        </div>
      </fieldset>
      <div className="row">
        <button
          type="submit"
          className="primary"
          disabled={action.pending || changed.length === 0 || Object.keys(errors).length > 0}
        >
          Save{changed.length > 0 ? ` ${changed.length} change${changed.length === 1 ? '' : 's'}` : ''}
        </button>
        <button type="button" disabled={changed.length === 0} onClick={() => setDraft(draftFrom(view.settings))}>
          Undo changes
        </button>
        {saved && (
          <span className="small" role="status">
            Saved.
            {restartKeys.length > 0 &&
              ` ${restartKeys.map((k) => settingLabels[k as keyof SettingsDraft] ?? k).join(', ')}: takes effect after a restart of Switchboard.`}
          </span>
        )}
      </div>
      <ErrorText title="Could not save" message={action.error} />
    </form>
  );
}

export function SettingsPage() {
  const view = useSettings((s) => s.view);
  const loadError = useSettings((s) => s.loadError);
  const { load, loadConnection } = useStores().settings.getState();
  useEffect(() => {
    void load();
    void loadConnection();
  }, [load, loadConnection]);
  return (
    <section className="page" aria-labelledby="settings-title">
      <div className="page-header">
        <h1 id="settings-title">Settings</h1>
      </div>
      <TokenCard />
      <ErrorText title="Could not read the settings" message={loadError} />
      {!view && !loadError && <Loading what="settings" />}
      {view && <SettingsForm key={JSON.stringify(view.settings)} view={view} />}
    </section>
  );
}
