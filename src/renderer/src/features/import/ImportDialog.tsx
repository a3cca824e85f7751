import { useEffect, useState } from 'react';
import type { ImportPreview, ImportSource } from '../../../../shared/app-api.js';
import { clientLabels, type ClientConfigLocation, type ClientKind } from '../../../../shared/client-formats.js';
import { useBridge, useStores, useUi } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { PreviewTable, selectable } from './PreviewTable.js';
import { SourcePicker, type Choice } from './SourcePicker.js';

/**
 * Import another client's servers: choose a file found on this machine or paste its text, look at exactly what
 * each entry would run, and save only the rows ticked. Nothing is spawned or saved before "Import".
 */
export function ImportDialog({ initial }: { initial?: Pick<ImportSource, 'client' | 'path'> }) {
  const bridge = useBridge();
  const stores = useStores();
  const closeDialog = useStores().ui.getState().closeDialog;
  const notify = useUi((s) => s.notify);
  const [locations, setLocations] = useState<ClientConfigLocation[] | null>(null);
  const [discoverError, setDiscoverError] = useState<string | null>(null);
  const [choice, setChoice] = useState<Choice>(
    initial?.path ? { kind: 'file', location: { client: initial.client, path: initial.path } } : { kind: 'paste' },
  );
  const [pasteClient, setPasteClient] = useState<ClientKind>('claude-desktop');
  const [text, setText] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const previewing = useAction();
  const importing = useAction();

  useEffect(() => {
    bridge.discoverClientConfigs().then(
      (found) => {
        setLocations(found);
        if (!initial?.path && found[0]) setChoice({ kind: 'file', location: found[0] });
      },
      (err: unknown) => setDiscoverError(err instanceof Error ? err.message : String(err)),
    );
  }, [bridge, initial?.path]);

  const source = (): ImportSource =>
    choice.kind === 'file'
      ? { client: choice.location.client, path: choice.location.path, answers }
      : { client: pasteClient, text, answers };

  const runPreview = () =>
    previewing.run(async () => {
      const result = await bridge.previewImport(source());
      setPreview(result);
      setSelected(new Set(result.rows.filter((r) => r.status === 'will-run').map((r) => r.safeName)));
    });

  const runImport = () =>
    importing.run(async () => {
      const views = await bridge.importConfig(source(), [...selected]);
      stores.servers.getState().put(views);
      closeDialog();
      notify(`Imported ${views.length} server${views.length === 1 ? '' : 's'}. Start them from the list.`, 'info');
    });

  const canPreview = choice.kind === 'file' || text.trim() !== '';
  const footer = preview ? (
    <>
      <span className="muted small">Nothing has run. Only the ticked rows are saved.</span>
      <span className="spacer" />
      <button type="button" onClick={() => setPreview(null)}>
        Back
      </button>
      <button
        type="button"
        className="primary"
        disabled={selected.size === 0 || importing.pending}
        onClick={() => void runImport()}
      >
        Import {selected.size} server{selected.size === 1 ? '' : 's'}
      </button>
    </>
  ) : (
    <>
      <span className="spacer" />
      <button type="button" onClick={closeDialog}>
        Cancel
      </button>
      <button
        type="button"
        className="primary"
        disabled={!canPreview || previewing.pending}
        onClick={() => void runPreview()}
      >
        Preview
      </button>
    </>
  );

  return (
    <Dialog
      title="Import servers from a client"
      size="wide"
      onClose={closeDialog}
      footer={footer}
      testId="import-dialog"
    >
      {!preview && (
        <>
          <SourcePicker
            locations={locations}
            discoverError={discoverError}
            choice={choice}
            setChoice={setChoice}
            pasteClient={pasteClient}
            setPasteClient={setPasteClient}
            text={text}
            setText={setText}
          />
          <ErrorText title="Could not read that config" message={previewing.error} />
        </>
      )}
      {preview && (
        <>
          <p>
            From <strong>{clientLabels[preview.client]}</strong>
            {preview.path && <span className="mono small"> {preview.path}</span>}. Check every command below: this is
            exactly what would run, without a shell. Secrets are shown as •••.
          </p>
          {preview.problems.map((p) => (
            <div key={p} className="warn-box">
              {p}
            </div>
          ))}
          <PreviewTable
            rows={preview.rows}
            selected={selected}
            onToggle={(name, on) =>
              setSelected((s) => {
                const next = new Set(s);
                if (on) next.add(name);
                else next.delete(name);
                return next;
              })
            }
            answers={answers}
            onAnswer={(id, value) => setAnswers((a) => ({ ...a, [id]: value }))}
          />
          {preview.rows.some((r) => r.status === 'needs-input') && (
            <div>
              <button type="button" onClick={() => void runPreview()} disabled={previewing.pending}>
                Preview again with these answers
              </button>
            </div>
          )}
          {preview.rows.filter(selectable).length === 0 && (
            <p className="muted">No entry here can be imported as a local server.</p>
          )}
          <ErrorText title="Import failed" message={importing.error ?? previewing.error} />
        </>
      )}
    </Dialog>
  );
}
