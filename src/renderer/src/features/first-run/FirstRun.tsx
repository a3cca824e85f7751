import { useEffect, useState } from 'react';
import { clientLabels, type ClientConfigLocation } from '../../../../shared/client-formats.js';
import { useBridge, useStores, useUi } from '../../app-context.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { errorMessage } from '../../lib/errors.js';

/**
 * What a new user sees with no servers: the client configs already on this machine (import them), the built-in
 * demo server (one click to something real), or the form.
 */
export function FirstRun() {
  const bridge = useBridge();
  const { addDemo } = useStores().servers.getState();
  const { openDialog, navigate } = useUi((s) => s);
  const [found, setFound] = useState<ClientConfigLocation[] | null>(null);
  const [findError, setFindError] = useState<string | null>(null);
  const demo = useAction();

  useEffect(() => {
    bridge.discoverClientConfigs().then(setFound, (err: unknown) => setFindError(errorMessage(err)));
  }, [bridge]);

  const addDemoServer = () =>
    demo.run(async () => {
      const view = await addDemo();
      navigate({ page: 'server', name: view.definition.name, tab: 'explorer' });
    });

  return (
    <div className="first-run" data-testid="first-run">
      <div className="first-run-intro">
        <h2>Welcome to Switchboard</h2>
        <p className="muted">
          Switchboard runs your local MCP servers once and shares them with every client (Cursor, VS Code, Claude
          Desktop…) over one address. Start with one of these:
        </p>
      </div>
      <div className="first-run-cards">
        <div className="card stack">
          <h3>1. Bring the servers you already use</h3>
          {found === null && !findError && <p className="muted">Looking for client configs…</p>}
          <ErrorText message={findError} />
          {found?.length === 0 && (
            <p className="muted">
              No Claude Desktop, Cursor, Windsurf or VS Code config found here. You can paste one instead.
            </p>
          )}
          {found && found.length > 0 && (
            <ul className="found-list">
              {found.map((loc) => (
                <li key={loc.path} className="row">
                  <div className="grow">
                    <strong>{clientLabels[loc.client]}</strong>
                    <div className="mono small muted ellipsis" title={loc.path}>
                      {loc.path}
                    </div>
                  </div>
                  <button type="button" className="small" onClick={() => openDialog({ kind: 'import', source: loc })}>
                    Preview
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div>
            <button type="button" onClick={() => openDialog({ kind: 'import' })}>
              {found && found.length > 0 ? 'Paste a config instead…' : 'Paste a config…'}
            </button>
          </div>
          <p className="muted small">You will see every command before anything runs.</p>
        </div>
        <div className="card stack">
          <h3>2. Try the demo server</h3>
          <p className="muted">
            A small example server shipped with Switchboard: call its tools, watch its traffic and logs.
          </p>
          <div>
            <button type="button" className="primary" disabled={demo.pending} onClick={() => void addDemoServer()}>
              Add the demo server
            </button>
          </div>
          <ErrorText title="Could not add the demo" message={demo.error} />
        </div>
        <div className="card stack">
          <h3>3. Add one by hand</h3>
          <p className="muted">Any stdio MCP server: a command such as npx, uvx, node or docker, with its arguments.</p>
          <div>
            <button type="button" onClick={() => openDialog({ kind: 'add' })}>
              Add a server…
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
