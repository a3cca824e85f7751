import type { KeyboardEvent, MouseEvent } from 'react';
import type { ServerState } from '../../../../shared/app-api.js';
import { useServers, useStores, useUi } from '../../app-context.js';
import { StateBadge } from '../../components/StateBadge.js';
import { useAction } from '../../components/use-action.js';
import { formatBytes, formatPercent, formatRate, formatUptime } from '../../lib/format.js';
import { commandLine } from './command-line.js';

const canStart: ServerState[] = ['stopped', 'failed', 'backoff'];
const canStop: ServerState[] = ['running', 'starting', 'degraded', 'backoff'];

export function ServerRow({ name }: { name: string }) {
  const view = useServers((s) => s.byName[name]);
  const { start, stop, restart } = useStores().servers.getState();
  const navigate = useUi((s) => s.navigate);
  const openDialog = useUi((s) => s.openDialog);
  const action = useAction();
  if (!view) return null;
  const { definition, status, stats } = view;
  const open = () => navigate({ page: 'server', name, tab: 'logs' });
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && e.target === e.currentTarget) open();
  };
  const act = (fn: () => Promise<unknown>) => (e: MouseEvent) => {
    e.stopPropagation();
    void action.run(fn);
  };
  return (
    <>
      <tr
        className="clickable"
        tabIndex={0}
        onClick={open}
        onKeyDown={onKey}
        data-server={name}
        aria-label={`Server ${name}`}
      >
        <td style={{ maxWidth: '20rem' }}>
          <div className="row">
            <strong>{name}</strong>
            {!definition.enabled && <span className="badge">disabled</span>}
          </div>
          <div className="muted small mono ellipsis" title={commandLine(definition.command, definition.args)}>
            {commandLine(definition.command, definition.args)}
          </div>
        </td>
        <td style={{ maxWidth: '20rem' }}>
          <StateBadge state={status.state} />
          <div className="muted small" data-testid="state-reason">
            {status.reason}
          </div>
          {status.stderrTail && status.stderrTail.length > 0 && (
            <details className="small" onClick={(e) => e.stopPropagation()}>
              <summary>last stderr lines</summary>
              <pre className="stderr-tail">{status.stderrTail.join('\n')}</pre>
            </details>
          )}
        </td>
        <td className="num">{status.state === 'running' ? formatUptime(stats.uptimeSeconds) : '—'}</td>
        <td className="num">{stats.restarts}</td>
        <td className="num">{formatRate(stats.requestsPerSecond)}</td>
        <td className={`num ${stats.errors > 0 ? 'is-error' : ''}`}>{stats.errors}</td>
        <td className="num">{formatPercent(stats.cpuPercent)}</td>
        <td className="num">{formatBytes(stats.rssBytes)}</td>
        <td>
          <div className="row actions">
            {canStart.includes(status.state) ? (
              <button
                key="start"
                type="button"
                className="small"
                disabled={action.pending}
                onClick={act(() => start(name))}
              >
                Start
              </button>
            ) : (
              <button
                key="stop"
                type="button"
                className="small"
                disabled={action.pending || !canStop.includes(status.state)}
                onClick={act(() => stop(name))}
              >
                Stop
              </button>
            )}
            <button type="button" className="small" disabled={action.pending} onClick={act(() => restart(name))}>
              Restart
            </button>
            <button type="button" className="small" onClick={act(async () => openDialog({ kind: 'edit', name }))}>
              Edit
            </button>
            <button
              type="button"
              className="small danger"
              onClick={act(async () => openDialog({ kind: 'remove', name }))}
            >
              Remove
            </button>
          </div>
        </td>
      </tr>
      {action.error && (
        <tr>
          <td colSpan={9}>
            <div className="error-box row" role="alert">
              <span style={{ flex: 1 }}>
                <strong>{name}: </strong>
                {action.error}
              </span>
              <button type="button" className="small" onClick={action.clear}>
                Dismiss
              </button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
