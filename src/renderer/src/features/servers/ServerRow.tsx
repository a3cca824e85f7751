import { useState, type KeyboardEvent } from 'react';
import { useServers, useStores, useUi } from '../../app-context.js';
import { RowMenu } from '../../components/RowMenu.js';
import { StateBadge } from '../../components/StateBadge.js';
import { useAction } from '../../components/use-action.js';
import { formatBytes, formatPercent, formatRate, formatUptime } from '../../lib/format.js';
import { commandLine } from './command-line.js';
import { serverActions } from './server-actions.js';

/** Columns of the servers table; the expander and error rows span them all. */
export const SERVER_COLUMNS = 9;

/**
 * One server: a fixed-height row (name and command, state and a one-line reason, numbers, one primary action and
 * a "⋯" menu). A long reason or a failure's stderr opens below the row on demand, so rows never grow by themselves.
 */
export function ServerRow({ name }: { name: string }) {
  const view = useServers((s) => s.byName[name]);
  const { start, stop, restart } = useStores().servers.getState();
  const navigate = useUi((s) => s.navigate);
  const openDialog = useUi((s) => s.openDialog);
  const action = useAction();
  const [expanded, setExpanded] = useState(false);
  if (!view) return null;
  const { definition, status, stats } = view;
  const open = () => navigate({ page: 'server', name, tab: 'logs' });
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && e.target === e.currentTarget) open();
  };
  const actions = serverActions(status.state, {
    start: () => void action.run(() => start(name)),
    stop: () => void action.run(() => stop(name)),
    restart: () => void action.run(() => restart(name)),
    edit: () => openDialog({ kind: 'edit', name }),
    remove: () => openDialog({ kind: 'remove', name }),
  });
  const tail = status.stderrTail ?? [];
  const hasMore = tail.length > 0 || status.reason.length > 60;
  const command = commandLine(definition.command, definition.args);
  return (
    <>
      <tr
        className="clickable server-row"
        tabIndex={0}
        onClick={open}
        onKeyDown={onKey}
        data-server={name}
        aria-label={`Server ${name}`}
      >
        <td>
          <div className="row nowrap">
            <strong className="ellipsis">{name}</strong>
            {!definition.enabled && <span className="badge">disabled</span>}
          </div>
          <div className="muted small mono ellipsis" title={command}>
            {command}
          </div>
        </td>
        <td>
          <StateBadge state={status.state} />
          <div className="row nowrap state-reason-line">
            <span className="muted small ellipsis" data-testid="state-reason" title={status.reason}>
              {status.reason}
            </span>
            {hasMore && (
              <button
                type="button"
                className="link small expander"
                aria-expanded={expanded}
                onClick={(e) => {
                  e.stopPropagation();
                  setExpanded((x) => !x);
                }}
                onKeyDown={(e) => e.stopPropagation()}
              >
                {expanded ? 'less' : 'more'}
              </button>
            )}
          </div>
        </td>
        <td className="num">{status.state === 'running' ? formatUptime(stats.uptimeSeconds) : '—'}</td>
        <td className="num">{stats.restarts}</td>
        <td className="num">{formatRate(stats.requestsPerSecond)}</td>
        <td className={`num ${stats.errors > 0 ? 'is-error' : ''}`}>{stats.errors}</td>
        <td className="num">{formatPercent(stats.cpuPercent)}</td>
        <td className="num">{formatBytes(stats.rssBytes)}</td>
        <td className="actions-cell">
          <div className="row nowrap actions">
            <button
              type="button"
              className="small"
              disabled={action.pending || actions.primary.disabled}
              onClick={(e) => {
                e.stopPropagation();
                actions.primary.onSelect();
              }}
              onKeyDown={(e) => e.stopPropagation()}
            >
              {actions.primary.label}
            </button>
            <RowMenu
              label={`More actions for ${name}`}
              items={actions.more.map((item) => ({ ...item, disabled: item.disabled || action.pending }))}
            />
          </div>
        </td>
      </tr>
      {expanded && hasMore && (
        <tr className="server-more">
          <td colSpan={SERVER_COLUMNS}>
            <div className="stack">
              <span className="small" data-testid="state-reason-full">
                {status.reason}
              </span>
              {tail.length > 0 && (
                <>
                  <span className="muted small">Last lines the server wrote on stderr:</span>
                  <pre className="stderr-tail">{tail.join('\n')}</pre>
                </>
              )}
            </div>
          </td>
        </tr>
      )}
      {action.error && (
        <tr>
          <td colSpan={SERVER_COLUMNS}>
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
