import type { ClientConfigLocation, ClientKind } from '../../../../shared/client-formats.js';
import { clientLabels } from '../../../../shared/client-formats.js';
import { ErrorText, Loading } from '../../components/feedback.js';

export type Choice = { kind: 'file'; location: Pick<ClientConfigLocation, 'client' | 'path'> } | { kind: 'paste' };

interface SourcePickerProps {
  locations: ClientConfigLocation[] | null;
  discoverError: string | null;
  choice: Choice;
  setChoice(choice: Choice): void;
  pasteClient: ClientKind;
  setPasteClient(client: ClientKind): void;
  text: string;
  setText(text: string): void;
}

/** Step one of an import: a client config found on this machine, or pasted text in a chosen client's format. */
export function SourcePicker(props: SourcePickerProps) {
  const { locations, discoverError, choice, setChoice, pasteClient, setPasteClient, text, setText } = props;
  return (
    <>
      <fieldset>
        <legend>Config files found on this machine</legend>
        {!locations && !discoverError && <Loading what="client configs" />}
        <ErrorText message={discoverError} />
        {locations?.length === 0 && <p className="muted">None found. Paste a config below instead.</p>}
        {locations?.map((loc) => (
          <label key={loc.path} className="check import-choice">
            <input
              type="radio"
              name="import-source"
              checked={choice.kind === 'file' && choice.location.path === loc.path}
              onChange={() => setChoice({ kind: 'file', location: loc })}
            />
            <strong>{clientLabels[loc.client]}</strong>
            <span className="mono small muted">{loc.path}</span>
            {loc.scope === 'workspace' && <span className="badge">workspace</span>}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>
          <label className="check">
            <input
              type="radio"
              name="import-source"
              checked={choice.kind === 'paste'}
              onChange={() => setChoice({ kind: 'paste' })}
            />
            Or paste a config
          </label>
        </legend>
        <div className="stack">
          <label className="row">
            <span>Format</span>
            <select
              value={pasteClient}
              onChange={(e) => setPasteClient(e.target.value as ClientKind)}
              onFocus={() => setChoice({ kind: 'paste' })}
            >
              {(Object.keys(clientLabels) as ClientKind[]).map((k) => (
                <option key={k} value={k}>
                  {clientLabels[k]}
                </option>
              ))}
            </select>
          </label>
          <textarea
            rows={8}
            value={text}
            aria-label="Config text"
            placeholder={
              '{\n  "mcpServers": {\n    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }\n  }\n}'
            }
            onFocus={() => setChoice({ kind: 'paste' })}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      </fieldset>
    </>
  );
}
