import type { ImportRowCheck } from '../../../../shared/app-api.js';
import { previewStatusLabels, type PreviewRow, type PreviewStatus } from '../../../../shared/client-formats.js';
import type { RowOutcome } from './import-progress.js';

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

/** Rows ticked at first: those that will run, with a command that is there. */
export function runsAsIs(row: PreviewRow, check: ImportRowCheck | undefined): boolean {
  return row.status === 'will-run' && check?.command?.found !== false;
}

interface PreviewTableProps {
  rows: PreviewRow[];
  selected: Set<string>;
  onToggle(safeName: string, on: boolean): void;
  answers: Record<string, string>;
  onAnswer(id: string, value: string): void;
  /** What the host found on this machine: each command's whereabouts and renames. */
  checks?: Record<string, ImportRowCheck>;
  /** After the import: the saved rows only, each with its server's live progress and outcome. */
  outcomes?: Record<string, RowOutcome>;
}

function Status({ row, check, outcome }: { row: PreviewRow; check?: ImportRowCheck; outcome?: RowOutcome }) {
  if (outcome) {
    return (
      // Kept narrow: a PATH in a reason or a long progress line must not push the command column away.
      <div
        data-testid="import-outcome"
        data-state={outcome.state}
        style={{ maxWidth: '24rem', overflowWrap: 'anywhere' }}
      >
        <span className={`badge ${outcome.tone}`}>{outcome.label}</span>
        {outcome.state !== 'running' && outcome.reason && <div className="small muted">{outcome.reason}</div>}
        {outcome.stderrTail && (
          <pre className="stderr-tail small" style={{ whiteSpace: 'pre-wrap' }}>
            {outcome.stderrTail.slice(-5).join('\n')}
          </pre>
        )}
      </div>
    );
  }
  if (row.status === 'will-run' && check?.command?.found === false) {
    return <span className="badge warn">command not found</span>;
  }
  return <span className={`badge ${tone[row.status]}`}>{previewStatusLabels[row.status]}</span>;
}

/** Where the spawn doctor found the command, or why it will not start and where it is instead. */
function CommandCheckLine({ check }: { check?: ImportRowCheck }) {
  const found = check?.command;
  if (!found) return null;
  if (found.found) {
    return (
      <div className="small muted" data-testid="command-check">
        found at <span className="mono">{found.path}</span>
      </div>
    );
  }
  return (
    <div className="small is-error" data-testid="command-check" style={{ overflowWrap: 'anywhere' }}>
      {found.message}
    </div>
  );
}

/** Every entry with its full command line (never cut short), cwd, environment (secrets masked) and remarks. */
export function PreviewTable({ rows, selected, onToggle, answers, onAnswer, checks, outcomes }: PreviewTableProps) {
  const shown = outcomes ? rows.filter((r) => r.safeName in outcomes) : rows;
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
        {shown.map((row) => (
          <tr key={row.safeName} data-preview-row={row.safeName}>
            <td>
              <input
                type="checkbox"
                checked={selected.has(row.safeName)}
                disabled={!selectable(row) || outcomes !== undefined}
                onChange={(e) => onToggle(row.safeName, e.target.checked)}
                aria-label={`Import ${row.name}`}
              />
            </td>
            <td>
              <strong>{row.name}</strong>
              {checks?.[row.safeName]?.saveAs ? (
                <div className="muted small" data-testid="save-as">
                  saved as {checks[row.safeName]!.saveAs!.name}: {checks[row.safeName]!.saveAs!.reason}
                </div>
              ) : (
                row.safeName !== row.name && <div className="muted small">saved as {row.safeName}</div>
              )}
            </td>
            <td>
              <Status row={row} check={checks?.[row.safeName]} outcome={outcomes?.[row.safeName]} />
            </td>
            <td className="preview-what">
              {row.commandLine && (
                <pre className="command-line" data-testid="command-line">
                  {row.commandLine}
                </pre>
              )}
              <CommandCheckLine check={checks?.[row.safeName]} />
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
