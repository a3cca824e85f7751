import { useState } from 'react';
import { useSettings, useStores } from '../../app-context.js';
import { CopyButton } from '../../components/CopyButton.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { maskToken } from '../../lib/snippets.js';

/** The bearer token clients send: hidden until asked, copyable, and replaceable (which logs every client out). */
export function TokenCard() {
  const connection = useSettings((s) => s.connection);
  const connectionError = useSettings((s) => s.connectionError);
  const { regenerateToken } = useStores().settings.getState();
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (connectionError) return <ErrorText title="Could not read the token" message={connectionError} />;
  if (!connection) return null;
  const { token } = connection;
  return (
    <fieldset className="token-card">
      <legend>Access token</legend>
      {token === null ? (
        <p className="warn-box">Auth is off: any process on this machine can use the gateway.</p>
      ) : (
        <div className="stack">
          <div className="row wrap">
            <code className="token" data-testid="token">
              {shown ? token : maskToken(token)}
            </code>
            <button type="button" className="small" onClick={() => setShown((s) => !s)} aria-pressed={shown}>
              {shown ? 'Hide' : 'Show'}
            </button>
            <CopyButton text={token} />
            {confirming ? (
              <>
                <span className="small">Every client must then be given the new token.</span>
                <button
                  type="button"
                  className="small danger solid"
                  disabled={action.pending}
                  onClick={() => void action.run(regenerateToken).then(() => setConfirming(false))}
                >
                  Replace the token
                </button>
                <button type="button" className="small" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" className="small" onClick={() => setConfirming(true)}>
                Regenerate…
              </button>
            )}
          </div>
          <span className="muted small">Clients send it as the header Authorization: Bearer &lt;token&gt;.</span>
        </div>
      )}
      <ErrorText title="Could not replace the token" message={action.error} />
    </fieldset>
  );
}
