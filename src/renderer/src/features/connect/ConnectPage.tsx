import { useEffect, useState } from 'react';
import { useSettings, useStores } from '../../app-context.js';
import { ErrorText, Loading } from '../../components/feedback.js';
import { ExportPanel } from './ExportPanel.js';
import { ClientSetupPanel } from './ClientSetupPanel.js';
import { SnippetsPanel } from './SnippetsPanel.js';

/** Client snippets for the whole gateway (every running server's tools behind one address) or one server. */
export function ConnectPage() {
  const connection = useSettings((s) => s.connection);
  const error = useSettings((s) => s.connectionError);
  const { loadConnection } = useStores().settings.getState();
  const [target, setTarget] = useState<string>('');
  useEffect(() => {
    void loadConnection();
  }, [loadConnection]);
  const endpoint = connection?.endpoints.find((e) => (e.name ?? '') === target) ?? connection?.endpoints[0];
  return (
    <section className="page" aria-labelledby="connect-title">
      <div className="page-header">
        <h1 id="connect-title">Connect a client</h1>
      </div>
      <p className="muted">
        Point any MCP client at Switchboard instead of starting servers itself. The whole gateway serves the tools of
        every running server under one address (names made unique); a server’s own address serves just that server.
      </p>
      <ClientSetupPanel />
      <ErrorText title="Could not read the gateway’s address" message={error} />
      {!connection && !error && <Loading what="the gateway address" />}
      {connection && endpoint && (
        <>
          <label className="row">
            <span className="field-label">Connect to</span>
            <select value={endpoint.name ?? ''} onChange={(e) => setTarget(e.target.value)} aria-label="Connect to">
              {connection.endpoints.map((e) => (
                <option key={e.name ?? ''} value={e.name ?? ''}>
                  {e.name === null ? 'The whole gateway (all servers)' : e.name}
                </option>
              ))}
            </select>
          </label>
          <SnippetsPanel key={endpoint.name ?? ''} info={connection} endpoint={endpoint} idPrefix="connect" />
        </>
      )}
      <ExportPanel />
    </section>
  );
}
