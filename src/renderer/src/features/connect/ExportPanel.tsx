import { useState } from 'react';
import { clientLabels, type ClientKind } from '../../../../shared/client-formats.js';
import { useBridge } from '../../app-context.js';
import { CopyButton } from '../../components/CopyButton.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';

const clients = Object.keys(clientLabels) as ClientKind[];

/**
 * Every server in Switchboard's registry, written in a client's own config format, for a client that should run
 * them itself. Secret values stay out unless the box is ticked: an exported file gets copied, synced and shared.
 */
export function ExportPanel() {
  const bridge = useBridge();
  const [client, setClient] = useState<ClientKind>('claude-desktop');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [result, setResult] = useState<{ text: string; notes: string[] } | null>(null);
  const exporting = useAction();

  const run = () =>
    exporting.run(async () => {
      setResult(null);
      setResult(await bridge.exportConfig(client, undefined, { includeSecrets }));
    });

  return (
    <div className="card stack" data-testid="export-panel">
      <h2 className="small">Export the servers to a client’s config</h2>
      <div className="row wrap">
        <select
          value={client}
          aria-label="Export for"
          onChange={(e) => {
            setClient(e.target.value as ClientKind);
            setResult(null);
          }}
        >
          {clients.map((c) => (
            <option key={c} value={c}>
              {clientLabels[c]}
            </option>
          ))}
        </select>
        <label className="check" title="Off: secret env values become prompts (VS Code) or placeholders">
          <input
            type="checkbox"
            checked={includeSecrets}
            onChange={(e) => {
              setIncludeSecrets(e.target.checked);
              setResult(null);
            }}
          />
          Include secret values
        </label>
        <button type="button" onClick={() => void run()} disabled={exporting.pending}>
          Export
        </button>
        {result && <CopyButton text={result.text} />}
      </div>
      <ErrorText title="Could not export" message={exporting.error} />
      {result && result.notes.length > 0 && (
        <ul className="warn-box small" data-testid="export-notes">
          {result.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {result && includeSecrets && (
        <p className="warn-box small">This text holds secret values: keep it out of shared folders and chats.</p>
      )}
      {result && (
        <pre className="snippet" data-testid="export-text">
          {result.text}
        </pre>
      )}
    </div>
  );
}
