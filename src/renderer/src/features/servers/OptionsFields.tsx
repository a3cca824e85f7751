import { Field } from '../../components/Field.js';
import type { ServerForm } from '../../lib/server-form-model.js';

interface OptionsFieldsProps {
  form: ServerForm;
  change<K extends keyof ServerForm>(key: K, value: ServerForm[K], field?: string): void;
  err(field: string): string | undefined;
  /** Unfold when an option has a problem the user should see. */
  showErrors: boolean;
}

const ms = 'milliseconds; empty keeps the default';

const sharingModes: ReadonlyArray<{ value: ServerForm['sharing']; label: string; hint: string }> = [
  {
    value: 'auto',
    label: 'Auto',
    hint: 'shared until the server needs a client of its own (it asks for sampling, elicitation or roots), then a process per new session.',
  },
  { value: 'shared', label: 'Shared', hint: 'one process for every client.' },
  {
    value: 'per-session',
    label: 'Per session',
    hint: 'a process for each client session: most exact, costs a process each.',
  },
];

/** The rarely changed options, folded away: timeouts, restart policy, sharing, roots, environment, tool filter. */
export function OptionsFields({ form, change, err, showErrors }: OptionsFieldsProps) {
  const number = (key: keyof ServerForm & string, path: string, label: string, hint = ms) => (
    <Field label={label} error={err(path)} hint={hint}>
      <input
        inputMode="numeric"
        value={form[key] as string}
        onChange={(e) => change(key, e.target.value as never, path)}
      />
    </Field>
  );
  return (
    <details open={showErrors || undefined}>
      <summary>Options</summary>
      <div className="stack" style={{ marginTop: '0.75rem' }}>
        <fieldset>
          <legend>Timeouts</legend>
          <div className="grid-3">
            {number('startupMs', 'options.timeouts.startupMs', 'Startup')}
            {number('requestMs', 'options.timeouts.requestMs', 'Per request', 'ms; progress notifications extend it')}
            {number(
              'maxRequestMs',
              'options.timeouts.maxRequestMs',
              'Longest request',
              'ms, however much progress arrives',
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>Restart after a crash</legend>
          <div className="grid-3">
            <Field label="Restart" error={err('options.restart.enabled')}>
              <select
                value={form.restartEnabled}
                onChange={(e) =>
                  change('restartEnabled', e.target.value as ServerForm['restartEnabled'], 'options.restart.enabled')
                }
              >
                <option value="">default (on)</option>
                <option value="true">on</option>
                <option value="false">off</option>
              </select>
            </Field>
            {number('initialDelayMs', 'options.restart.initialDelayMs', 'First delay')}
            {number('maxDelayMs', 'options.restart.maxDelayMs', 'Longest delay')}
            {number('maxFailures', 'options.restart.maxFailures', 'Give up after', 'failures within the window')}
            {number('failureWindowMs', 'options.restart.failureWindowMs', 'Failure window')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Sharing between clients</legend>
          <div className="stack" role="radiogroup" aria-label="Sharing">
            {sharingModes.map((mode) => (
              <label key={mode.value} className="check">
                <input
                  type="radio"
                  name="sharing"
                  value={mode.value}
                  checked={form.sharing === mode.value}
                  onChange={() => change('sharing', mode.value, 'options.sharing')}
                />
                <span>
                  <strong>{mode.label}</strong> <span className="muted small">{mode.hint}</span>
                </span>
              </label>
            ))}
          </div>
          <div className="grid-2">
            {number(
              'maxChildren',
              'options.maxChildren',
              'Most processes',
              'one per client session when isolating; empty keeps 10',
            )}
            <Field
              label="Roots"
              error={err('options.roots')}
              hint="Answered to a shared process that asks for roots: one file:// URI per line, a name after a space."
            >
              <textarea
                rows={2}
                value={form.roots}
                placeholder="file:///home/me/project Project"
                onChange={(e) => change('roots', e.target.value, 'options.roots')}
              />
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>Environment</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={form.passEnvironment}
              onChange={(e) => change('passEnvironment', e.target.checked, 'options.passEnvironment')}
            />
            Pass Switchboard’s whole environment
          </label>
          <span className="muted small">Off: only a safe allowlist (PATH, HOME, …) plus the variables above.</span>
        </fieldset>
        <fieldset>
          <legend>Tool filter</legend>
          <div className="grid-2">
            <Field
              label="Only these tools"
              error={err('options.toolFilter.allow')}
              hint="One name per line or comma-separated; empty shows every tool."
            >
              <textarea
                rows={3}
                value={form.toolAllow}
                onChange={(e) => change('toolAllow', e.target.value, 'options.toolFilter.allow')}
              />
            </Field>
            <Field label="Hide these tools" error={err('options.toolFilter.deny')} hint="Exact tool names.">
              <textarea
                rows={3}
                value={form.toolDeny}
                onChange={(e) => change('toolDeny', e.target.value, 'options.toolFilter.deny')}
              />
            </Field>
          </div>
        </fieldset>
      </div>
    </details>
  );
}
