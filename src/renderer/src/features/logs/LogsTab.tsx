import { memo, useMemo, useState } from 'react';
import type { LogLevel, LogLine } from '../../../../shared/app-api.js';
import { useLogs, useServers } from '../../app-context.js';
import { ErrorText } from '../../components/feedback.js';
import { VirtualList, type RowKey } from '../../components/VirtualList.js';
import { formatClock, plural } from '../../lib/format.js';
import { FilteredView } from '../../lib/ring.js';
import { logPredicate } from './log-filter.js';

const ROW_HEIGHT = 22;
/**
 * The engine's summary of stderr lines it dropped over a server's rate cap, one row a second at most
 * (droppedSummary in src/main/core/supervisor/stderr-limiter.ts: change both together).
 */
const DROPPED_PREFIX = '[switchboard] dropped ';
const DROPPED = /^\[switchboard\] dropped (\d+) stderr lines over the rate cap$/;

const LogRow = memo(function LogRow({ line }: { line: LogLine }) {
  return (
    <>
      <span className="cell muted" style={{ width: '7.5em' }}>
        {formatClock(line.time)}
      </span>
      <span className={`cell lvl-${line.level}`} style={{ width: '3.5em' }}>
        {line.level}
      </span>
      <span className="cell muted" style={{ width: '7.5em' }}>
        {line.stderr ? 'stderr' : line.source}
      </span>
      {/* No title: while following, every row shows a new line each batch, and a long title per row is a DOM write
          per row per batch. The whole line is one click away (the selected-line pane). */}
      <span className={`cell grow lvl-${line.level === 'info' ? 'plain' : line.level}`}>{line.message}</span>
    </>
  );
});

/** Live stderr and engine lines of one server: filter by level and text, follow the newest, pick one to read. */
export function LogsTab({ server }: { server: string }) {
  const ring = useLogs((s) => s.ring);
  const version = useLogs((s) => s.version);
  const historyError = useLogs((s) => s.historyError);
  const status = useServers((s) => s.byName[server]?.status);
  const [minLevel, setMinLevel] = useState<LogLevel>('debug');
  const [text, setText] = useState('');
  const [stderrOnly, setStderrOnly] = useState(false);
  const [follow, setFollow] = useState(true);
  const [selected, setSelected] = useState<{ key: RowKey; line: LogLine } | null>(null);

  // The ring indexes lines by server: the view reads this server's lines only, and with no other filter tests none.
  const view = useMemo(() => {
    const filtered = minLevel !== 'debug' || text.trim() !== '' || stderrOnly;
    return new FilteredView(ring, filtered ? logPredicate({ server, minLevel, text, stderrOnly }) : null, server);
  }, [ring, server, minLevel, text, stderrOnly]);
  // Look only at lines that arrived since the last batch (and forget evicted ones).
  const count = useMemo(() => {
    void version;
    view.refresh();
    return view.length;
  }, [view, version]);
  // Drop summaries are few (one a second while flooding), so summing them all at each batch stays cheap.
  const drops = useMemo(
    () =>
      new FilteredView(
        ring,
        (line: LogLine) => line.server === server && line.stderr === true && line.message.startsWith(DROPPED_PREFIX),
        server,
      ),
    [ring, server],
  );
  const dropped = useMemo(() => {
    void version;
    drops.refresh();
    let total = 0;
    for (let i = 0; i < drops.length; i++) total += Number(DROPPED.exec(drops.at(i)?.message ?? '')?.[1] ?? 0);
    return total;
  }, [drops, version]);

  return (
    <div className="tab-fill stack">
      <div className="toolbar" role="search">
        <input
          type="search"
          placeholder="Filter text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Filter log text"
        />
        <label className="row small">
          Level
          <select value={minLevel} onChange={(e) => setMinLevel(e.target.value as LogLevel)} aria-label="Lowest level">
            <option value="debug">all</option>
            <option value="info">info and above</option>
            <option value="warn">warnings and errors</option>
            <option value="error">errors</option>
          </select>
        </label>
        <label className="check small">
          <input type="checkbox" checked={stderrOnly} onChange={(e) => setStderrOnly(e.target.checked)} /> stderr only
        </label>
        <span className="spacer" />
        {dropped > 0 && (
          <span
            className="badge warn"
            role="status"
            data-testid="log-dropped"
            title="This server wrote stderr faster than its cap (options.stderrLinesPerSecond, 5,000 a second by default). The dropped lines were counted, not kept."
          >
            {plural(dropped, 'line')} dropped over the rate cap
          </span>
        )}
        <span className="muted small" data-testid="log-count">
          {plural(count, 'line')}
        </span>
        <button type="button" className="small" aria-pressed={follow} onClick={() => setFollow((f) => !f)}>
          {follow ? 'Following ●' : 'Follow'}
        </button>
      </div>
      <ErrorText title="Earlier lines could not be read" message={historyError} />
      {count === 0 ? (
        text || minLevel !== 'debug' || stderrOnly ? (
          <div className="empty small">No line matches the filter.</div>
        ) : status?.stderrTail && status.stderrTail.length > 0 ? (
          // Lines from before this page connected (beyond the history it read): the supervisor kept the last ones.
          <div className="card stack" data-testid="stderr-tail">
            <span className="small">
              <strong>{status.reason}</strong>
              <span className="muted"> · the last lines it wrote on stderr:</span>
            </span>
            <pre className="stderr-tail">{status.stderrTail.join('\n')}</pre>
          </div>
        ) : (
          <div className="empty small">
            No lines yet. What the server writes on stderr, and what Switchboard says about it, appears here as it
            happens.
          </div>
        )
      ) : (
        <VirtualList
          label={`Logs of ${server}`}
          testId="log-list"
          count={count}
          version={version}
          rowHeight={ROW_HEIGHT}
          rowKey={(i) => view.positionAt(i)}
          renderRow={(i) => {
            const line = view.at(i);
            return line ? <LogRow line={line} /> : null;
          }}
          selectedKey={selected?.key ?? null}
          onSelect={(key, index) => setSelected(key === null || index === null ? null : { key, line: view.at(index)! })}
          follow={follow}
          onFollowChange={setFollow}
        />
      )}
      {selected && (
        <div className="card detail-pane" aria-label="Selected line">
          <div className="row small muted">
            <span>{new Date(selected.line.time).toISOString()}</span>
            <span className={`lvl-${selected.line.level}`}>{selected.line.level}</span>
            <span>{selected.line.stderr ? `${selected.line.source} (stderr)` : selected.line.source}</span>
            <span className="spacer" />
            <button type="button" className="small" onClick={() => setSelected(null)}>
              Close
            </button>
          </div>
          <pre>{selected.line.message}</pre>
          {selected.line.fields && <pre className="muted">{JSON.stringify(selected.line.fields, null, 2)}</pre>}
        </div>
      )}
    </div>
  );
}
