import { useEffect, useState } from 'react';
import { useExplorer, useServers, useStores } from '../../app-context.js';
import { Loading } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import type { Catalog, CatalogPart } from '../../stores/explorer-store.js';
import { PromptPanel, ResourcePanel, TemplatePanel } from './ResourcePanels.js';
import { ServerQuestions } from './ServerQuestions.js';
import { ToolPanel } from './ToolPanel.js';

type Selection = { part: CatalogPart; id: string } | null;

const sections: Array<{ part: CatalogPart; title: string; none: string; what: string }> = [
  { part: 'tools', title: 'Tools', none: 'No tools.', what: 'tools' },
  { part: 'resources', title: 'Resources', none: 'No resources.', what: 'resources' },
  { part: 'templates', title: 'Resource templates', none: 'No templates.', what: 'resources' },
  { part: 'prompts', title: 'Prompts', none: 'No prompts.', what: 'prompts' },
];

function items(catalog: Catalog, part: CatalogPart): Array<{ id: string; label: string }> {
  switch (part) {
    case 'tools':
      return catalog.tools.map((t) => ({ id: t.name, label: t.name }));
    case 'resources':
      return catalog.resources.map((r) => ({ id: r.uri, label: r.name }));
    case 'templates':
      return catalog.templates.map((t) => ({ id: t.uriTemplate, label: t.name }));
    case 'prompts':
      return catalog.prompts.map((p) => ({ id: p.name, label: p.name }));
  }
}

function Selected({ server, catalog, selection }: { server: string; catalog: Catalog; selection: Selection }) {
  if (!selection) return <p className="muted">Pick a tool, resource or prompt on the left.</p>;
  const { part, id } = selection;
  if (part === 'tools') {
    const tool = catalog.tools.find((t) => t.name === id);
    return tool ? <ToolPanel key={`${server}/${id}`} server={server} tool={tool} /> : null;
  }
  if (part === 'resources') {
    const r = catalog.resources.find((x) => x.uri === id);
    return r ? <ResourcePanel key={id} server={server} resource={r} /> : null;
  }
  if (part === 'templates') {
    const t = catalog.templates.find((x) => x.uriTemplate === id);
    return t ? <TemplatePanel key={id} server={server} template={t} /> : null;
  }
  const p = catalog.prompts.find((x) => x.name === id);
  return p ? <PromptPanel key={id} server={server} prompt={p} /> : null;
}

/** Try a server by hand, like MCP Inspector: list what it offers, call a tool from a generated form, read results. */
export function ExplorerTab({ server }: { server: string }) {
  const catalog = useExplorer((s) => s.catalogs[server]);
  const state = useServers((s) => s.byName[server]?.status.state);
  const { load, close } = useStores().explorer.getState();
  const { start } = useStores().servers.getState();
  const starting = useAction();
  const [selection, setSelection] = useState<Selection>(null);
  const running = state === 'running' || state === 'degraded';

  // Load when the tab opens and again when the server comes up.
  useEffect(() => {
    if (running || !catalog) void load(server);
    // `catalog` and `load` are read, not watched: this re-runs only when the server or its state changes.
  }, [server, running]);

  // Closing the tab lets the host's session for it go (unless a call or a question is still open).
  useEffect(() => () => close(server), [server]);

  useEffect(() => {
    if (!selection && catalog?.tools[0]) setSelection({ part: 'tools', id: catalog.tools[0].name });
  }, [catalog, selection]);

  if (!catalog || (catalog.loading && !catalog.loadedAt)) return <Loading what="tools, resources and prompts" />;
  const allFailed = !catalog.info && sections.every((s) => catalog.errors[s.part]);
  return (
    <div className="explorer">
      <nav className="explorer-list" aria-label="What the server offers">
        <div className="row">
          <span className="spacer" />
          <button type="button" className="small" disabled={catalog.loading} onClick={() => void load(server)}>
            {catalog.loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        {catalog.info?.serverInfo && (
          <div className="small muted ellipsis" title={catalog.info.instructions}>
            {catalog.info.serverInfo.title ?? catalog.info.serverInfo.name}
            {catalog.info.serverInfo.version ? ` ${catalog.info.serverInfo.version}` : ''}
          </div>
        )}
        {sections.map(({ part, title, none, what }) => {
          const list = items(catalog, part);
          if (catalog.info && !catalog.offered[part]) {
            return (
              <div key={part} className="explorer-section" data-offered="false">
                <h3>{title}</h3>
                <div className="small muted">The server does not offer {what}.</div>
              </div>
            );
          }
          return (
            <div key={part} className="explorer-section">
              <h3>
                {title} <span className="muted small">{list.length}</span>
              </h3>
              {catalog.errors[part] && !allFailed && (
                <div className="small muted" title={catalog.errors[part]}>
                  could not list: {catalog.errors[part]}
                </div>
              )}
              {!catalog.errors[part] && list.length === 0 && <div className="small muted">{none}</div>}
              {list.map((item) => (
                <button
                  key={item.id}
                  type="button"
                  className={`explorer-item ${selection?.part === part && selection.id === item.id ? 'selected' : ''}`}
                  aria-current={selection?.part === part && selection.id === item.id ? 'true' : undefined}
                  onClick={() => setSelection({ part, id: item.id })}
                  title={item.id}
                >
                  {item.label}
                </button>
              ))}
            </div>
          );
        })}
      </nav>
      <div className="explorer-main stack">
        <ServerQuestions server={server} />
        {allFailed ? (
          <div className="stack">
            <div className="error-box" role="alert">
              {catalog.errors.tools}
            </div>
            {!running && (
              <div className="row">
                <span className="muted">The explorer talks to the running server.</span>
                <button
                  type="button"
                  className="primary"
                  disabled={starting.pending}
                  onClick={() => void starting.run(() => start(server))}
                >
                  Start {server}
                </button>
              </div>
            )}
            {starting.error && <div className="error-box">{starting.error}</div>}
          </div>
        ) : (
          <Selected server={server} catalog={catalog} selection={selection} />
        )}
      </div>
    </div>
  );
}
