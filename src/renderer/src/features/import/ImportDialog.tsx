import { useEffect, useMemo, useState } from 'react';
import type { ImportPreview, ImportSource } from '../../../../shared/app-api.js';
import { clientLabels, type ClientConfigLocation, type ClientKind } from '../../../../shared/client-formats.js';
import { useBridge, useServers, useStores, useUi } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { importSummary, outcomeOf, watchImport } from './import-progress.js';
import { PreviewTable, runsAsIs, selectable } from './PreviewTable.js';
import { SourcePicker, type Choice } from './SourcePicker.js';

/**
 * Import another client's servers: choose a file found on this machine or paste its text, look at exactly what
 * each entry would run, and save only the rows ticked. Nothing is spawned or saved before "Import". Then every
 * saved server starts at once and its row shows how it goes; the dialog can be closed at any moment, and one
 * notice says what happened once all have settled.
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
  /** After the import: each saved row's safe name → the server it became. */
  const [saved, setSaved] = useState<Record<string, string> | null>(null);
  const byName = useServers((s) => s.byName);
  const outcomes = useMemo(
    () => saved && Object.fromEntries(Object.entries(saved).map(([row, name]) => [row, outcomeOf(byName[name])])),
    [saved, byName],
  );
  const summary = saved ? importSummary(Object.values(saved).map((name) => byName[name])) : null;
  // Everything runs: nothing to look at here, the notice says so.
  useEffect(() => {
    if (summary?.allWell) closeDialog();
  }, [summary?.allWell, closeDialog]);
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
      setSelected(new Set(result.rows.filter((r) => runsAsIs(r, result.checks[r.safeName])).map((r) => r.safeName)));
    });

  const runImport = () =>
    importing.run(async () => {
      const chosen = preview!.rows.filter((r) => selected.has(r.safeName)).map((r) => r.safeName);
      const views = await bridge.importConfig(source(), chosen);
      stores.servers.getState().put(views);
      // Views come back in the config's order, as the rows are.
      const names = views.map((v) => v.definition.name);
      setSaved(Object.fromEntries(chosen.map((row, i) => [row, names[i]!])));
      watchImport(stores.servers, names, (done) => notify(done.message, done.tone));
    });

  const canPreview = choice.kind === 'file' || text.trim() !== '';
  const footer = saved ? (
    <>
      <span className="muted small" role="status" data-testid="import-summary">
        {summary?.message}
      </span>
      <span className="spacer" />
      <button type="button" className="primary" onClick={closeDialog}>
        Close
      </button>
    </>
  ) : preview ? (
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
          {saved && (
            <p>
              Saved. The servers start all at once; each row shows how it goes. Closing this window does not stop them.
            </p>
          )}
          <p hidden={saved !== null}>
            From <strong>{clientLabels[preview.client]}</strong>
            {preview.path && <span className="mono small"> {preview.path}</span>}. Check every command below: this is
            exactly what would run, without a shell. Secrets are shown as •••.
          </p>
          {!saved &&
            preview.problems.map((p) => (
              <div key={p} className="warn-box">
                {p}
              </div>
            ))}
          <PreviewTable
            rows={preview.rows}
            checks={preview.checks}
            {...(outcomes ? { outcomes } : {})}
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
          {!saved && preview.rows.some((r) => r.status === 'needs-input') && (
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
