import { lazy, Suspense } from 'react';
import { useServers, useUi } from '../../app-context.js';
import { EmptyState, Loading } from '../../components/feedback.js';
import { LoadBoundary } from '../../components/LoadBoundary.js';
import { Tabs } from '../../components/Tabs.js';
import type { DetailTab } from '../../lib/route.js';
import { DetailHeader } from './DetailHeader.js';

// Each tab is a chunk of its own, loaded when first opened: xterm.js only with a terminal, the explorer's schema
// forms only with the explorer.
const TerminalTab = lazy(() => import('../terminal/TerminalTab.js'));
const LogsTab = lazy(() => import('../logs/LogsTab.js').then((m) => ({ default: m.LogsTab })));
const TrafficTab = lazy(() => import('../traffic/TrafficTab.js').then((m) => ({ default: m.TrafficTab })));
const ExplorerTab = lazy(() => import('../explorer/ExplorerTab.js').then((m) => ({ default: m.ExplorerTab })));
const ConnectTab = lazy(() => import('../connect/ConnectTab.js').then((m) => ({ default: m.ConnectTab })));
const SchemaTab = lazy(() => import('../devloop/SchemaTab.js').then((m) => ({ default: m.SchemaTab })));
const ProblemsTab = lazy(() => import('../devloop/ProblemsTab.js').then((m) => ({ default: m.ProblemsTab })));

const tabs: ReadonlyArray<{ id: DetailTab; label: string }> = [
  { id: 'logs', label: 'Logs' },
  { id: 'traffic', label: 'Traffic' },
  { id: 'explorer', label: 'Explorer' },
  { id: 'schema', label: 'Schema' },
  { id: 'problems', label: 'Problems' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'connect', label: 'Connect' },
];

function Panel({ name, tab }: { name: string; tab: DetailTab }) {
  const what = tab === 'logs' ? 'the logs' : `the ${tab}`;
  return (
    <LoadBoundary key={tab} what={`The ${tab} tab`}>
      <Suspense fallback={<Loading what={what} />}>
        <TabBody name={name} tab={tab} />
      </Suspense>
    </LoadBoundary>
  );
}

function TabBody({ name, tab }: { name: string; tab: DetailTab }) {
  switch (tab) {
    case 'logs':
      return <LogsTab server={name} />;
    case 'traffic':
      return <TrafficTab server={name} />;
    case 'explorer':
      return <ExplorerTab server={name} />;
    case 'schema':
      return <SchemaTab server={name} />;
    case 'problems':
      return <ProblemsTab server={name} />;
    case 'terminal':
      return <TerminalTab server={name} />;
    case 'connect':
      return <ConnectTab server={name} />;
  }
}

export function ServerDetail({ name, tab }: { name: string; tab: DetailTab }) {
  const exists = useServers((s) => name in s.byName);
  const loaded = useServers((s) => s.loaded);
  const navigate = useUi((s) => s.navigate);
  if (!exists) {
    return (
      <section className="page">
        {loaded ? (
          <EmptyState
            title={`No server named “${name}”`}
            actions={
              <button type="button" onClick={() => navigate({ page: 'servers' })}>
                Back to the servers
              </button>
            }
          >
            It may have been removed.
          </EmptyState>
        ) : (
          <Loading what="the server" />
        )}
      </section>
    );
  }
  return (
    <section className="page fill" aria-label={`Server ${name}`}>
      <DetailHeader name={name} />
      <Tabs
        label="Server views"
        idPrefix="detail"
        tabs={tabs}
        selected={tab}
        onSelect={(t) => navigate({ page: 'server', name, tab: t })}
      />
      <div id="detail-panel" role="tabpanel" aria-labelledby={`detail-tab-${tab}`} className="detail-panel">
        <Panel name={name} tab={tab} />
      </div>
    </section>
  );
}
