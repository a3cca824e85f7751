import { useCallback, useEffect, useState } from 'react';
import { clientLabels } from '../../../../shared/client-formats.js';
import type { ClientSetupPreview, ClientSetupState, ClientSetupStatus } from '../../../../shared/client-setup.js';
import { useBridge } from '../../app-context.js';
import { ErrorText, Loading } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { errorMessage } from '../../lib/errors.js';
import './client-setup.css';

const stateText: Record<ClientSetupState, { label: string; tone: string }> = {
  connected: { label: 'connected', tone: 'ok' },
  outdated: { label: 'entry out of date', tone: 'warn' },
  'not-connected': { label: 'not connected', tone: '' },
  unreadable: { label: 'cannot read its config', tone: 'err' },
};

/**
 * The clients found on this machine, whether each reaches Switchboard, and "Add Switchboard to this client":
 * the edit is shown as a diff first, written with a backup, and can be undone.
 */
export function ClientSetupPanel() {
  const bridge = useBridge();
  const [clients, setClients] = useState<ClientSetupStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const reload = useCallback(() => {
    bridge.listClientSetups().then(
      (list) => (setClients(list), setError(null)),
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [bridge]);
  useEffect(reload, [reload]);
  return (
    <section className="card stack client-setup" aria-labelledby="client-setup-title">
      <h2 id="client-setup-title">Clients on this machine</h2>
      <ErrorText title="Could not look for clients" message={error} />
      {!clients && !error && <Loading what="the clients" />}
      {clients?.length === 0 && <p className="muted">No Claude Desktop, Cursor, VS Code or Windsurf config found.</p>}
      {clients?.map((c) => (
        <ClientRow
          key={c.path}
          client={c}
          open={open === c.path}
          onOpen={(o) => setOpen(o ? c.path : null)}
          onChanged={reload}
        />
      ))}
    </section>
  );
}

function ClientRow(props: {
  client: ClientSetupStatus;
  open: boolean;
  onOpen(open: boolean): void;
  onChanged(): void;
}) {
  const { client, open } = props;
  const bridge = useBridge();
  const undo = useAction();
  const state = stateText[client.state];
  const label = `${clientLabels[client.client]}${client.scope === 'workspace' ? ' (workspace)' : ''}`;
  return (
    <div className="client-row stack" data-testid={`client-${client.client}-${client.scope}`}>
      <div className="row wrap">
        <strong>{label}</strong>
        <span className={`badge ${state.tone}`} data-setup-state={client.state}>
          {state.label}
        </span>
        <span className="mono small muted grow ellipsis" title={client.path}>
          {client.path}
          {!client.exists && ' (will be created)'}
        </span>
        {client.state !== 'connected' && client.state !== 'unreadable' && !open && (
          <button type="button" onClick={() => props.onOpen(true)}>
            {client.state === 'outdated' ? 'Update the entry…' : 'Add Switchboard…'}
          </button>
        )}
        {client.backup && (
          <button
            type="button"
            disabled={undo.pending}
            onClick={() => void undo.run(() => bridge.undoClientSetup(client.path)).then(props.onChanged)}
            title={`Restore the file as it was; removes ${client.backup.imported.length} imported server(s)`}
          >
            Undo
          </button>
        )}
      </div>
      {client.problem && <p className="small muted">{client.problem}</p>}
      <ErrorText title="Undo failed" message={undo.error} />
      {open && (
        <SetupPreview
          client={client}
          onDone={() => (props.onOpen(false), props.onChanged())}
          onCancel={() => props.onOpen(false)}
        />
      )}
    </div>
  );
}

function SetupPreview({ client, onDone, onCancel }: { client: ClientSetupStatus; onDone(): void; onCancel(): void }) {
  const bridge = useBridge();
  const [move, setMove] = useState<string[]>([]);
  const [preview, setPreview] = useState<ClientSetupPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const apply = useAction();
  useEffect(() => {
    let live = true;
    bridge.previewClientSetup({ path: client.path, moveServers: move }).then(
      (p) => live && (setPreview(p), setError(null)),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [bridge, client.path, move]);
  const toggle = (name: string) => setMove((m) => (m.includes(name) ? m.filter((n) => n !== name) : [...m, name]));
  return (
    <div className="stack setup-preview">
      {client.ownServers.length > 0 && (
        <fieldset className="stack">
          <legend className="small">Move these servers into Switchboard (optional)</legend>
          {client.ownServers.map((name) => (
            <label key={name} className="row small">
              <input type="checkbox" checked={move.includes(name)} onChange={() => toggle(name)} />
              <span className="mono">{name}</span>
              {preview?.notMoved.find((n) => n.name === name) && (
                <span className="muted">stays: {preview.notMoved.find((n) => n.name === name)!.reason}</span>
              )}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorText title="Cannot prepare the change" message={error} />
      {preview && (
        <>
          <div className="small muted">The change to {preview.path} (a backup is kept; Undo puts the file back):</div>
          <pre className="diff" data-testid="setup-diff">
            {preview.diff.map((l, i) => (
              <div key={i} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : undefined}>
                {l.op} {l.text}
              </div>
            ))}
          </pre>
        </>
      )}
      <ErrorText title="The change was not made" message={apply.error} />
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!preview || apply.pending}
          onClick={() =>
            void apply
              .run(() => bridge.applyClientSetup({ path: client.path, moveServers: preview?.moved ?? [] }))
              .then((ok) => ok && onDone())
          }
        >
          {preview?.moved.length ? `Write it and move ${preview.moved.length} server(s)` : 'Write it'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
