import type { ServerState } from '../../../../shared/app-api.js';
import { useServers, useStores, useUi } from '../../app-context.js';
import { ErrorText } from '../../components/feedback.js';
import { StateBadge } from '../../components/StateBadge.js';
import { useAction } from '../../components/use-action.js';
import { formatBytes, formatMs, formatPercent, formatRate, formatUptime } from '../../lib/format.js';
import { commandLine } from '../servers/command-line.js';

const startable: ServerState[] = ['stopped', 'failed', 'backoff'];

export function DetailHeader({ name }: { name: string }) {
  const view = useServers((s) => s.byName[name]);
  const { start, stop, restart } = useStores().servers.getState();
  const { navigate, openDialog } = useUi((s) => s);
  const action = useAction();
  if (!view) return null;
  const { status, stats, definition, serverInfo } = view;
  const running = status.state === 'running' || status.state === 'degraded';
  return (
    <div className="stack detail-header">
      <div className="page-header">
        <button type="button" className="link" onClick={() => navigate({ page: 'servers' })}>
          Servers
        </button>
        <span className="muted">/</span>
        <h1>{name}</h1>
        <StateBadge state={status.state} />
        <span className="muted small" data-testid="detail-reason">
          {status.reason}
        </span>
        <span className="spacer" />
        {startable.includes(status.state) ? (
          <button
            key="start"
            type="button"
            className="primary"
            disabled={action.pending}
            onClick={() => void action.run(() => start(name))}
          >
            Start
          </button>
        ) : (
          <button
            key="stop"
            type="button"
            disabled={action.pending || status.state === 'stopping'}
            onClick={() => void action.run(() => stop(name))}
          >
            Stop
          </button>
        )}
        <button type="button" disabled={action.pending} onClick={() => void action.run(() => restart(name))}>
          Restart
        </button>
        <button type="button" onClick={() => openDialog({ kind: 'edit', name })}>
          Edit
        </button>
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
        <span>{stats.errors} errors</span>
        <span>{stats.sessions} sessions</span>
        <span>CPU {formatPercent(stats.cpuPercent)}</span>
        <span>mem {formatBytes(stats.rssBytes)}</span>
      </div>
      <ErrorText title={name} message={action.error} />
    </div>
  );
}
