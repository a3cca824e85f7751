import { useMemo } from 'react';
import type { TrafficFrame } from '../../../../shared/app-api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { formatBytes, formatMs, prettyJson } from '../../lib/format.js';
import { childIdOf, clientLabel, type TrafficRow } from '../../lib/traffic-pairing.js';

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

/**
 * The list shows the client's id; the frames are as the child saw them, with the id Switchboard gave the request
 * upstream. Both are named here so the two numbers are never a puzzle.
 */
function Ids({ row }: { row: TrafficRow }) {
  const frame = row.request ?? row.response;
  const childId = frame ? childIdOf(frame) : null;
  if (row.clientId === undefined || row.clientId === null) return null;
  return (
    <span data-testid="detail-ids">
      client id <span className="mono">{JSON.stringify(row.clientId)}</span>
      {childId !== null && childId !== row.clientId && (
        <>
          {' '}
          · id on the wire to the child <span className="mono">{JSON.stringify(childId)}</span>
        </>
      )}
    </span>
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
        <Ids row={row} />
        {row.session && <span className="mono">session {row.session.slice(0, 12)}</span>}
        {row.latencyMs !== undefined && (
          <span data-testid="detail-latency">
            latency <strong>{formatMs(row.latencyMs)}</strong>
          </span>
        )}
        {row.isError && (
          <span className="badge err">{row.toolError ? 'tool error (isError)' : (row.closed ?? 'error')}</span>
        )}
      </div>
      {row.closed && (
        <div className="error-box small" data-testid="closed-reason">
          {row.closed === 'exited'
            ? `No answer from the server: its process exited. Switchboard answered the client with error -32000: ${row.closedReason ?? ''}`
            : `Cancelled before the server answered: ${row.closedReason ?? 'cancelled'}. A cancelled request gets no answer.`}
        </div>
      )}
      {row.request && (
        <Frame title={row.direction === 'up' ? 'Request' : 'Request from the server'} frame={row.request} />
      )}
      {row.response && <Frame title="Response" frame={row.response} />}
      {row.notification && <Frame title="Notification" frame={row.notification} />}
      {row.kind === 'request' && !row.response && !row.closed && (
        <p className="muted small">Waiting for the response…</p>
      )}
    </aside>
  );
}
