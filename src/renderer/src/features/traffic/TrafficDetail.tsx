import { useMemo } from 'react';
import type { TrafficFrame } from '../../../../shared/app-api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { formatBytes, formatMs, prettyJson } from '../../lib/format.js';
import { clientLabel, type TrafficRow } from '../../lib/traffic-pairing.js';

function Frame({ title, frame }: { title: string; frame: TrafficFrame }) {
  // Pretty-printed as text: a payload is never interpreted as markup.
  const text = useMemo(() => prettyJson(frame.payload), [frame.payload]);
  return (
    <div className="stack frame">
      <div className="row small">
        <strong>{title}</strong>
        <span className="muted">
          {new Date(frame.time).toISOString().slice(11, 23)} · {formatBytes(frame.size)}
        </span>
        {frame.truncated && <span className="badge warn">truncated</span>}
        <span className="spacer" />
        <CopyButton text={frame.payload} label="Copy JSON" />
      </div>
      <pre className="json-view">{text}</pre>
    </div>
  );
}

/** The selected exchange: both frames as pretty JSON text, with latency and sizes. */
export function TrafficDetail({ row, onClose }: { row: TrafficRow; onClose(): void }) {
  return (
    <aside className="card traffic-detail" aria-label="Selected message" data-testid="traffic-detail">
      <div className="row">
        <h3 className="ellipsis">{row.method ?? row.kind}</h3>
        <span className="spacer" />
        <button type="button" className="small" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </div>
      <div className="row wrap small muted">
        <span>client {clientLabel(row)}</span>
        {row.session && <span className="mono">session {row.session.slice(0, 12)}</span>}
        {row.latencyMs !== undefined && (
          <span data-testid="detail-latency">
            latency <strong>{formatMs(row.latencyMs)}</strong>
          </span>
        )}
        {row.isError && <span className="badge err">error</span>}
      </div>
      {row.request && (
        <Frame title={row.direction === 'up' ? 'Request' : 'Request from the server'} frame={row.request} />
      )}
      {row.response && <Frame title="Response" frame={row.response} />}
      {row.notification && <Frame title="Notification" frame={row.notification} />}
      {row.kind === 'request' && !row.response && <p className="muted small">Waiting for the response…</p>}
    </aside>
  );
}
