import type { ServerView } from '../../../../shared/app-api.js';
import { useServers, useStores, useUi } from '../../app-context.js';
import { ErrorText } from '../../components/feedback.js';
import { StateBadge } from '../../components/StateBadge.js';
import { useAction } from '../../components/use-action.js';
import { formatBytes, formatMs, formatPercent, formatRate, formatUptime, plural } from '../../lib/format.js';
import { commandLine } from '../servers/command-line.js';
import { serverActions } from '../servers/server-actions.js';

/** "Auto: per-session since 14:02 — the server asked for sampling" (or "shared so far" before any decision). */
function SharingLine({ view, onReset }: { view: ServerView; onReset: () => void }) {
  const mode = view.definition.options.sharing;
  if (mode !== 'auto') return <span data-testid="sharing">sharing: {mode}</span>;
  const decision = view.sharingDecision;
  if (!decision) {
    return (
      <span data-testid="sharing" title="One process for every client until the server needs a client of its own">
        Auto: shared so far
      </span>
    );
  }
  const at = new Date(decision.at);
  const sameDay = at.toDateString() === new Date().toDateString();
  const when = sameDay
    ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <span data-testid="sharing" title={at.toISOString()}>
      Auto: {decision.mode} since {when} — {decision.reason}{' '}
      <button
        type="button"
        className="link small"
        title="Share one process again for new sessions, until the server asks a client something"
        onClick={onReset}
      >
        Reset
      </button>
    </span>
  );
}

export function DetailHeader({ name }: { name: string }) {
  const view = useServers((s) => s.byName[name]);
  const { start, stop, restart, resetSharing } = useStores().servers.getState();
  const { navigate, openDialog } = useUi((s) => s);
  const action = useAction();
  if (!view) return null;
  const { status, stats, definition, serverInfo } = view;
  const running = status.state === 'running' || status.state === 'degraded';
  const actions = serverActions(status.state, {
    start: () => void action.run(() => start(name)),
    stop: () => void action.run(() => stop(name)),
    restart: () => void action.run(() => restart(name)),
    edit: () => openDialog({ kind: 'edit', name }),
    remove: () => openDialog({ kind: 'remove', name }),
  });
  return (
    <div className="stack detail-header">
      <div className="page-header">
        <button type="button" className="link" onClick={() => navigate({ page: 'servers' })}>
          Servers
        </button>
        <span className="muted">/</span>
        <h1>{name}</h1>
        <StateBadge state={status.state} />
        {/* A long reason (a PATH in an error) stays on one line; the whole text is in the tooltip and the logs. */}
        <span className="muted small ellipsis detail-reason" data-testid="detail-reason" title={status.reason}>
          {status.reason}
        </span>
        {[actions.primary, ...actions.more.filter((a) => !a.danger)].map((a, i) => (
          <button
            key={a.label}
            type="button"
            className={i === 0 ? 'primary' : undefined}
            disabled={action.pending || a.disabled}
            onClick={a.onSelect}
          >
            {a.label}
          </button>
        ))}
      </div>
      <div className="row wrap small muted detail-facts">
        <span
          className="mono ellipsis"
          title={commandLine(definition.command, definition.args)}
          style={{ maxWidth: '40rem' }}
        >
          {commandLine(definition.command, definition.args)}
        </span>
        {serverInfo && (
          <span>
            {serverInfo.title ?? serverInfo.name} {serverInfo.version}
          </span>
        )}
        {status.pid !== null && <span>pid {status.pid}</span>}
        {running && <span>up {formatUptime(stats.uptimeSeconds)}</span>}
        <span>{formatRate(stats.requestsPerSecond)} req/s</span>
        <span>p50 {formatMs(stats.latencyMs?.p50)}</span>
        <span data-testid="detail-errors">{plural(stats.errors, 'error')}</span>
        <span data-testid="detail-sessions">{plural(stats.sessions, 'client session')}</span>
        <span>CPU {formatPercent(stats.cpuPercent)}</span>
        <span>mem {formatBytes(stats.rssBytes)}</span>
        <SharingLine view={view} onReset={() => void action.run(() => resetSharing(name))} />
      </div>
      <ErrorText title={name} message={action.error} />
    </div>
  );
}
