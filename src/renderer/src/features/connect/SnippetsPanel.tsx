import { useState } from 'react';
import type { ConnectionInfo } from '../../../../shared/app-api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { Tabs } from '../../components/Tabs.js';
import { absoluteEndpoint, buildSnippets, maskToken, type Endpoint, type Snippet } from '../../lib/snippets.js';

interface SnippetsPanelProps {
  info: ConnectionInfo;
  endpoint: Endpoint;
  idPrefix: string;
}

/** Ready-to-paste configuration for each client; the token is masked on screen and copied in full. */
export function SnippetsPanel({ info, endpoint, idPrefix }: SnippetsPanelProps) {
  const [client, setClient] = useState<Snippet['id']>('cursor');
  const [reveal, setReveal] = useState(false);
  const abs = absoluteEndpoint(info, endpoint);
  const connect = info.connectCommand ?? null;
  const real = buildSnippets(abs, info.token, connect);
  const shown = reveal || info.token === null ? real : buildSnippets(abs, maskToken(info.token), connect);
  const index = Math.max(
    0,
    real.findIndex((s) => s.id === client),
  );
  const snippet = shown[index]!;
  return (
    <div className="snippets card">
      <div className="row wrap">
        <div className="grow">
          <div className="small muted">Streamable HTTP</div>
          <div className="mono ellipsis" data-testid="endpoint-url">
            {abs.streamableHttp}
          </div>
        </div>
        <CopyButton text={abs.streamableHttp} label="Copy URL" />
      </div>
      <Tabs<Snippet['id']>
        label="Client"
        idPrefix={idPrefix}
        tabs={real.map((s) => ({ id: s.id, label: s.label }))}
        selected={client}
        onSelect={setClient}
      />
      <div id={`${idPrefix}-panel`} role="tabpanel" aria-labelledby={`${idPrefix}-tab-${client}`} className="stack">
        <div className="row">
          <span className="muted small grow">{snippet.where}</span>
          {info.token !== null && (
            <button type="button" className="small" onClick={() => setReveal((r) => !r)} aria-pressed={reveal}>
              {reveal ? 'Hide token' : 'Show token'}
            </button>
          )}
          <CopyButton text={real[index]!.text} />
        </div>
        <pre className="snippet" data-testid={`snippet-${snippet.id}`}>
          {snippet.text}
        </pre>
        {info.token === null && <p className="warn-box small">Auth is off: any local process can use these servers.</p>}
      </div>
    </div>
  );
}
