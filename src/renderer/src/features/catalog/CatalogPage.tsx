import { useCallback, useEffect, useState } from 'react';
import type { CatalogEntry, CatalogInstall, CatalogPage as Page } from '../../../../shared/catalog.js';
import { parseServerDefinition } from '../../../../shared/server-definition.js';
import { useBridge, useUi } from '../../app-context.js';
import { ErrorText, Loading } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { errorMessage } from '../../lib/errors.js';
import './catalog.css';

/**
 * Servers from the MCP registry (read by the engine, never by this page). "Add" opens the server form filled
 * from the package's metadata; nothing runs until the user saves and starts it there.
 */
export function CatalogPage() {
  const bridge = useBridge();
  const [search, setSearch] = useState('');
  const [entries, setEntries] = useState<CatalogEntry[]>([]);
  const [last, setLast] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (query: string, cursor?: string) => {
      setLoading(true);
      try {
        const page = await bridge.searchCatalog({ search: query || undefined, cursor, limit: 30 });
        setLast(page);
        setError(null);
        if (page.ok) setEntries((e) => (cursor ? [...e, ...page.entries] : page.entries));
        else if (!cursor) setEntries([]);
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setLoading(false);
      }
    },
    [bridge],
  );
  useEffect(() => void load(''), [load]);

  return (
    <section className="page catalog" aria-labelledby="catalog-title">
      <div className="page-header">
        <h1 id="catalog-title">Catalog</h1>
      </div>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load(search);
        }}
      >
        <input
          type="search"
          className="grow"
          aria-label="Search the registry"
          placeholder="Search servers by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit" disabled={loading}>
          Search
        </button>
      </form>
      <RegistrySetting registryUrl={last?.registryUrl ?? null} onChanged={() => void load(search)} />
      <ErrorText title="The catalog failed" message={error} />
      {last && !last.ok && (
        <p className={last.offline ? 'warn-box small' : 'error-box small'} data-testid="catalog-problem">
          {last.offline ? `Offline: ${last.message}.` : last.message}
        </p>
      )}
      {loading && entries.length === 0 && <Loading what="the registry" />}
      {last?.ok && entries.length === 0 && <p className="muted">No server matches “{search}”.</p>}
      <div className="stack">
        {entries.map((entry) => (
          <EntryCard key={`${entry.name}@${entry.version}`} entry={entry} />
        ))}
      </div>
      {last?.ok && last.nextCursor && (
        <button type="button" disabled={loading} onClick={() => void load(search, last.nextCursor!)}>
          {loading ? 'Loading…' : 'More'}
        </button>
      )}
    </section>
  );
}

function EntryCard({ entry }: { entry: CatalogEntry }) {
  return (
    <article className="card stack catalog-entry" data-testid="catalog-entry">
      <div className="row wrap">
        <strong>{entry.title ?? entry.name}</strong>
        <span className="badge">v{entry.version}</span>
        {entry.title && <span className="mono small muted">{entry.name}</span>}
        <span className="grow" />
        {entry.repositoryUrl && (
          <a className="small" href={entry.repositoryUrl} target="_blank" rel="noreferrer noopener">
            repository
          </a>
        )}
      </div>
      <p>{entry.description}</p>
      {entry.installs.map((install) => (
        <InstallRow key={install.label} install={install} />
      ))}
      {entry.packages
        .filter((p) => !['npm', 'pypi', 'oci'].includes(p.registryType) || p.transport !== 'stdio')
        .map((p) => (
          <div key={`${p.registryType}:${p.identifier}`} className="small muted">
            {p.registryType} {p.identifier} ({p.transport}): not something Switchboard runs
          </div>
        ))}
      {entry.remotes.map((r) => (
        <div key={r.url} className="small">
          Remote ({r.type}): <span className="mono">{r.url}</span>
        </div>
      ))}
    </article>
  );
}

function InstallRow({ install }: { install: CatalogInstall }) {
  const openDialog = useUi((s) => s.openDialog);
  const parsed = parseServerDefinition(install.draft);
  return (
    <div className="stack install">
      <div className="row wrap">
        <span className="badge">{install.label}</span>
        <code className="grow command-line" data-testid="catalog-command">
          {install.commandLine}
        </code>
        <button
          type="button"
          disabled={!parsed.ok}
          title={parsed.ok ? 'Opens the server form; nothing runs until you save and start it' : parsed.message}
          onClick={() => parsed.ok && openDialog({ kind: 'add', draft: parsed.value })}
        >
          Add…
        </button>
      </div>
      {install.env.length > 0 && (
        <ul className="small env">
          {install.env.map((v) => (
            <li key={v.name}>
              <span className="mono">{v.name}</span>
              {v.secret && <span className="badge warn">secret</span>}
              {v.required && <span className="badge">required</span>}
              {v.description && <span className="muted"> {v.description}</span>}
            </li>
          ))}
        </ul>
      )}
      {install.missing.length > 0 && (
        <div className="small muted">To fill in before it can run: {install.missing.join(', ')}</div>
      )}
    </div>
  );
}

/** The registry URL is a setting: a private registry, or a local one. */
function RegistrySetting({ registryUrl, onChanged }: { registryUrl: string | null; onChanged(): void }) {
  const bridge = useBridge();
  const [editing, setEditing] = useState<string | null>(null);
  const save = useAction();
  if (editing === null) {
    return (
      <div className="row small muted">
        <span>Registry: {registryUrl ?? '…'}</span>
        <button type="button" className="small" onClick={() => setEditing(registryUrl ?? '')}>
          Change
        </button>
      </div>
    );
  }
  return (
    <form
      className="row small"
      onSubmit={(e) => {
        e.preventDefault();
        void save
          .run(() => bridge.updateSettings({ registryUrl: editing }))
          .then((ok) => {
            if (!ok) return;
            setEditing(null);
            onChanged();
          });
      }}
    >
      <input className="grow" aria-label="Registry URL" value={editing} onChange={(e) => setEditing(e.target.value)} />
      <button type="submit" disabled={save.pending}>
        Save
      </button>
      <button type="button" onClick={() => setEditing(null)}>
        Cancel
      </button>
      <ErrorText message={save.error} />
    </form>
  );
}
