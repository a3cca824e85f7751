import { useEffect } from 'react';
import { useSettings, useStores } from '../../app-context.js';
import { ErrorText, Loading } from '../../components/feedback.js';
import { SnippetsPanel } from './SnippetsPanel.js';

/** The Connect tab of one server: snippets for its own address. */
export function ConnectTab({ server }: { server: string }) {
  const connection = useSettings((s) => s.connection);
  const error = useSettings((s) => s.connectionError);
  const { loadConnection } = useStores().settings.getState();
  useEffect(() => {
    void loadConnection();
  }, [loadConnection]);
  const endpoint = connection?.endpoints.find((e) => e.name === server);
  if (error) return <ErrorText title="Could not read the gateway’s address" message={error} />;
  if (!connection) return <Loading what="the address" />;
  if (!endpoint) return <p className="muted">This server has no address yet; it appears once the server is saved.</p>;
  return (
    <div className="stack scroll-panel">
      <p className="muted">
        Clients reach <strong>{server}</strong> through Switchboard at this address. The server starts on the first
        request if it is not running.
      </p>
      <SnippetsPanel info={connection} endpoint={endpoint} idPrefix={`connect-${server}`} />
    </div>
  );
}
