import { useMemo, useState } from 'react';
import { useBridge, useTraffic } from '../../app-context.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { VirtualList, type RowKey } from '../../components/VirtualList.js';
import { downloadText } from '../../lib/download.js';
import { plural } from '../../lib/format.js';
import { FilteredView } from '../../lib/ring.js';
import { trafficPredicate, type TrafficRow } from '../../lib/traffic-pairing.js';
import { TrafficDetail } from './TrafficDetail.js';
import { TrafficHeader, TrafficRowCells } from './TrafficRowCells.js';

const ROW_HEIGHT = 24;

/** Every JSON-RPC frame of one server, requests joined to their responses, like a browser's network panel. */
export function TrafficTab({ server }: { server: string }) {
  const bridge = useBridge();
  const pairing = useTraffic((s) => s.pairing);
  const version = useTraffic((s) => s.version);
  const clients = useTraffic((s) => s.clients[server]);
  const historyError = useTraffic((s) => s.historyError);
  const [clientName, setClientName] = useState('');
  const [method, setMethod] = useState('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [follow, setFollow] = useState(true);
  const [selected, setSelected] = useState<RowKey | null>(null);
  const exporting = useAction();

  const view = useMemo(
    // Rows are indexed by server: the view reads this server's rows only.
    () => new FilteredView(pairing.rows, trafficPredicate({ clientName, method, errorsOnly }), server),
    [pairing, server, clientName, method, errorsOnly],
  );
  const count = useMemo(() => {
    void version;
    // A response can turn a row into an error after it was first seen, so "errors only" looks at every row again.
    if (errorsOnly) view.rebuild();
    else view.refresh();
    return view.length;
  }, [view, version, errorsOnly]);
  const selectedRow: TrafficRow | undefined = typeof selected === 'number' ? pairing.rows.at(selected) : undefined;

  const exportJsonl = () =>
    exporting.run(async () => {
      const { jsonl } = await bridge.exportTraffic({
        server,
        clientName: clientName || undefined,
        errorsOnly: errorsOnly || undefined,
      });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      downloadText(`${server}-traffic-${stamp}.jsonl`, jsonl, 'application/x-ndjson');
    });

  const filtered = Boolean(clientName || method || errorsOnly);
  return (
    <div className="tab-fill stack">
      <div className="toolbar" role="search">
        <select value={clientName} onChange={(e) => setClientName(e.target.value)} aria-label="Client">
          <option value="">All clients</option>
          {(clients ?? []).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder="Method, e.g. tools/call"
          value={method}
          onChange={(e) => setMethod(e.target.value)}
          aria-label="Filter method"
        />
        <label className="check small">
          <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} /> errors only
        </label>
        <span className="spacer" />
        <span className="muted small" data-testid="traffic-count">
          {plural(count, 'row')}
        </span>
        <button type="button" className="small" aria-pressed={follow} onClick={() => setFollow((f) => !f)}>
          {follow ? 'Following ●' : 'Follow'}
        </button>
        <button
          type="button"
          className="small"
          disabled={exporting.pending}
          onClick={() => void exportJsonl()}
          title="Download the stored frames (client and error filters apply) as JSON Lines"
        >
          Export .jsonl
        </button>
      </div>
      <ErrorText title="Could not export" message={exporting.error} />
      <ErrorText title="Earlier traffic could not be read" message={historyError} />
      {/* With a message open, the list drops its Client and Size columns so Method keeps its room. */}
      <div className={`traffic-split ${selectedRow ? 'has-detail' : ''}`}>
        {count === 0 ? (
          <div className="empty small">
            {filtered
              ? 'No traffic matches the filter.'
              : 'No traffic yet. Call a tool from the Explorer tab, or connect a client (Connect tab): every message appears here.'}
          </div>
        ) : (
          <VirtualList
            label={`Traffic of ${server}`}
            testId="traffic-list"
            count={count}
            version={version}
            rowHeight={ROW_HEIGHT}
            header={<TrafficHeader />}
            rowKey={(i) => view.positionAt(i)}
            renderRow={(i) => {
              const row = view.at(i);
              return row ? <TrafficRowCells row={row} /> : null;
            }}
            selectedKey={selected}
            onSelect={(key) => setSelected(key)}
            follow={follow}
            onFollowChange={setFollow}
          />
        )}
        {selectedRow && <TrafficDetail row={selectedRow} onClose={() => setSelected(null)} />}
      </div>
    </div>
  );
}
