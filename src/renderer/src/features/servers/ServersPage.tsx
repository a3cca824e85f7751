import { useShallow } from 'zustand/react/shallow';
import { useServers, useUi } from '../../app-context.js';
import { ErrorText, Loading } from '../../components/feedback.js';
import { FirstRun } from '../first-run/FirstRun.js';
import { ServerRow } from './ServerRow.js';

export function ServersPage() {
  const { loaded, loadError, names } = useServers(
    useShallow((s) => ({ loaded: s.loaded, loadError: s.loadError, names: s.names })),
  );
  const load = useServers((s) => s.load);
  const openDialog = useUi((s) => s.openDialog);
  return (
    <section className="page" aria-labelledby="servers-title">
      <div className="page-header">
        <h1 id="servers-title">Servers</h1>
        <span className="spacer" />
        <button type="button" onClick={() => openDialog({ kind: 'import' })}>
          Import from a client…
        </button>
        <button type="button" className="primary" onClick={() => openDialog({ kind: 'add' })}>
          Add server
        </button>
      </div>
      {!loaded && <Loading what="servers" />}
      {loadError && (
        <div className="stack">
          <ErrorText title="Could not read the server list" message={loadError} />
          <div>
            <button type="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        </div>
      )}
      {loaded && !loadError && names.length === 0 && <FirstRun />}
      {names.length > 0 && (
        <div className="table-wrap">
          <table className="table servers-table" aria-label="Servers">
            {/* Fixed widths for everything but the name: the table fits its container at 1024 px and up. */}
            <colgroup>
              <col />
              <col className="col-state" />
              <col className="col-num" />
              <col className="col-num" />
              <col className="col-num-narrow" />
              <col className="col-num-narrow" />
              <col className="col-num-narrow" />
              <col className="col-num" />
              <col className="col-actions" />
            </colgroup>
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th className="num">Uptime</th>
                <th className="num">Restarts</th>
                <th className="num">Req/s</th>
                <th className="num">Errors</th>
                <th className="num">CPU</th>
                <th className="num">Memory</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {names.map((name) => (
                <ServerRow key={name} name={name} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {names.length > 0 && (
        <p className="muted small">
          Select a server (click, or focus its row and press Enter) to see its logs, traffic, tools and terminal.
        </p>
      )}
    </section>
  );
}
