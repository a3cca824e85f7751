import { memo } from 'react';
import { formatBytes, formatClock, formatMs } from '../../lib/format.js';
import { clientLabel, type TrafficRow } from '../../lib/traffic-pairing.js';

export function TrafficHeader() {
  return (
    <div className="vhead" aria-hidden="true">
      <span className="cell" style={{ width: '7.5em' }}>
        Time
      </span>
      <span className="cell" style={{ width: '1.5em' }} />
      <span className="cell col-client" style={{ width: '8em' }}>
        Client
      </span>
      <span className="cell grow col-method">Method</span>
      <span className="cell" style={{ width: '5em' }}>
        Status
      </span>
      <span className="cell num" style={{ width: '5.5em' }}>
        Latency
      </span>
      <span className="cell num col-size" style={{ width: '5em' }}>
        Size
      </span>
    </div>
  );
}

function status(row: TrafficRow): { text: string; className: string } {
  if (row.kind === 'notification') return { text: 'notify', className: 'muted' };
  if (row.closed === 'exited') return { text: 'exited', className: 'is-error' };
  if (row.closed === 'cancelled') return { text: 'cancelled', className: 'is-error' };
  if (row.toolError) return { text: 'failed', className: 'is-error' }; // isError: true in the tool's result
  if (row.isError) return { text: 'error', className: 'is-error' };
  if (row.kind === 'request' && !row.response) return { text: 'pending', className: 'lvl-warn' };
  return { text: 'ok', className: 'ok-text' };
}

/** One row's cells. Arrows say who sent the first frame: → client to server, ← server to client. */
export const TrafficRowCells = memo(function TrafficRowCells({ row }: { row: TrafficRow }) {
  const s = status(row);
  return (
    <>
      <span className="cell muted" style={{ width: '7.5em' }}>
        {formatClock(row.time)}
      </span>
      <span
        className="cell muted"
        style={{ width: '1.5em' }}
        title={row.direction === 'up' ? 'client → server' : 'server → client'}
      >
        {row.direction === 'up' ? '→' : '←'}
      </span>
      <span className="cell col-client" style={{ width: '8em' }} title={clientLabel(row)}>
        {clientLabel(row)}
      </span>
      <span className={`cell grow col-method ${row.isError ? 'is-error' : ''}`} title={row.method}>
        {row.method ?? (row.kind === 'response' ? '(response)' : '—')}
        {row.clientId !== undefined && row.clientId !== null && <span className="muted"> #{String(row.clientId)}</span>}
      </span>
      <span className={`cell ${s.className}`} style={{ width: '5em' }} data-testid="status" title={row.closedReason}>
        {s.text}
      </span>
      <span className="cell num" style={{ width: '5.5em' }} data-testid="latency">
        {row.latencyMs !== undefined ? formatMs(row.latencyMs) : ''}
      </span>
      <span className="cell num muted col-size" style={{ width: '5em' }}>
        {formatBytes(row.size)}
      </span>
    </>
  );
});
