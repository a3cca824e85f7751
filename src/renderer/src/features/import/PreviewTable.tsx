import { previewStatusLabels, type PreviewRow, type PreviewStatus } from '../../../../shared/client-formats.js';

const tone: Record<PreviewStatus, string> = {
  'will-run': 'ok',
  disabled: '',
  remote: 'info',
  'needs-input': 'warn',
  problem: 'err',
};

/** Rows that can be saved as a local server. */
export function selectable(row: PreviewRow): boolean {
  return row.status === 'will-run' || row.status === 'disabled';
}

interface PreviewTableProps {
  rows: PreviewRow[];
  selected: Set<string>;
  onToggle(safeName: string, on: boolean): void;
  answers: Record<string, string>;
  onAnswer(id: string, value: string): void;
}

/** Every entry with its full command line (never cut short), cwd, environment (secrets masked) and remarks. */
export function PreviewTable({ rows, selected, onToggle, answers, onAnswer }: PreviewTableProps) {
  return (
    <table className="table preview-table" aria-label="Import preview">
      <thead>
        <tr>
          <th>
            <span className="sr-only">Import</span>
          </th>
          <th>Server</th>
          <th>Status</th>
          <th>What would run</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.safeName} data-preview-row={row.safeName}>
            <td>
              <input
                type="checkbox"
                checked={selected.has(row.safeName)}
                disabled={!selectable(row)}
                onChange={(e) => onToggle(row.safeName, e.target.checked)}
                aria-label={`Import ${row.name}`}
              />
            </td>
            <td>
              <strong>{row.name}</strong>
              {row.safeName !== row.name && <div className="muted small">saved as {row.safeName}</div>}
            </td>
            <td>
              <span className={`badge ${tone[row.status]}`}>{previewStatusLabels[row.status]}</span>
            </td>
            <td className="preview-what">
              {row.commandLine && (
                <pre className="command-line" data-testid="command-line">
                  {row.commandLine}
                </pre>
              )}
              {row.url && <div className="mono small">{row.url}</div>}
              {row.cwd && (
                <div className="small muted">
                  in <span className="mono">{row.cwd}</span>
                </div>
              )}
              {row.env.length > 0 && (
                <ul className="env-list mono small">
                  {row.env.map((v) => (
                    <li key={v.name}>
                      {v.name}={v.secret ? '•••' : v.value}
                      {v.from === 'envFile' && <span className="muted"> (from env file)</span>}
                    </li>
                  ))}
                </ul>
              )}
              {row.needsInput.map((input) => (
                <label key={input.id} className="row small needs-input">
                  <span>{input.description ?? input.id}</span>
                  <input
                    type={input.password ? 'password' : 'text'}
                    value={answers[input.id] ?? ''}
                    autoComplete="off"
                    onChange={(e) => onAnswer(input.id, e.target.value)}
                  />
                </label>
              ))}
              {row.warnings.map((w) => (
                <div key={w} className="small lvl-warn">
                  ⚠ {w}
                </div>
              ))}
              {row.problems.map((p) => (
                <div key={p} className="small is-error">
                  {p}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
