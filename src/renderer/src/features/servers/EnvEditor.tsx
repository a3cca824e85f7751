import { envRow, type EnvRow } from '../../lib/server-form-model.js';

interface EnvEditorProps {
  rows: EnvRow[];
  onChange(rows: EnvRow[]): void;
  /** Editing a stored server: secret values arrive masked. */
  editing: boolean;
}

/** Environment variables, each with a "secret" flag: secrets are typed into password fields and never shown. */
export function EnvEditor({ rows, onChange, editing }: EnvEditorProps) {
  const update = (id: number, patch: Partial<EnvRow>) =>
    onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="list-editor" role="group" aria-label="Environment variables">
      {rows.length > 0 && (
        <div className="row env-head muted small">
          <span className="grow">Name</span>
          <span className="grow">Value</span>
          <span className="env-secret">Secret</span>
          <span className="env-remove" />
        </div>
      )}
      {rows.map((row, index) => (
        <div key={row.id} className="row list-row">
          <input
            className="mono grow"
            value={row.key}
            placeholder="NAME"
            aria-label={`Variable ${index + 1} name`}
            onChange={(e) => update(row.id, { key: e.target.value })}
          />
          <input
            className="mono grow"
            type={row.secret ? 'password' : 'text'}
            autoComplete="off"
            value={row.value}
            placeholder="value"
            aria-label={`Variable ${index + 1} value`}
            onChange={(e) => update(row.id, { value: e.target.value })}
          />
          <label className="check env-secret" title="Never shown, logged or exported">
            <input
              type="checkbox"
              checked={row.secret}
              onChange={(e) => update(row.id, { secret: e.target.checked })}
              aria-label={`Variable ${index + 1} is a secret`}
            />
          </label>
          <button
            type="button"
            className="small danger env-remove"
            onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
            aria-label={`Remove variable ${index + 1}`}
          >
            ✕
          </button>
        </div>
      ))}
      <div className="row">
        <button type="button" className="small" onClick={() => onChange([...rows, envRow()])}>
          Add variable
        </button>
        {editing && rows.some((r) => r.secret) && (
          <span className="muted small">Leave a secret as ••• to keep the stored value.</span>
        )}
      </div>
    </div>
  );
}
