import { lazy, Suspense } from 'react';
import { useServers, useUi } from './app-context.js';
import { Loading } from './components/feedback.js';
import { LoadBoundary } from './components/LoadBoundary.js';
import { Dialogs } from './features/servers/Dialogs.js';
import { ServersPage } from './features/servers/ServersPage.js';
import { Notices } from './Notices.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import type { Route } from './lib/route.js';

// Only the servers list loads with the first screen; every other page is its own chunk, fetched when opened
// (uPlot with the charts, the server detail with its tabs), so the first parse and render stay short.
const MetricsPage = lazy(() => import('./features/metrics/MetricsPage.js'));
const ServerDetail = lazy(() => import('./features/detail/ServerDetail.js').then((m) => ({ default: m.ServerDetail })));
const ConnectPage = lazy(() => import('./features/connect/ConnectPage.js').then((m) => ({ default: m.ConnectPage })));
const CatalogPage = lazy(() => import('./features/catalog/CatalogPage.js').then((m) => ({ default: m.CatalogPage })));
const SettingsPage = lazy(() =>
  import('./features/settings/SettingsPage.js').then((m) => ({ default: m.SettingsPage })),
);

const nav: Array<{ page: 'servers' | 'connect' | 'catalog' | 'metrics' | 'settings'; label: string }> = [
  { page: 'servers', label: 'Servers' },
  { page: 'connect', label: 'Connect a client' },
  { page: 'catalog', label: 'Catalog' },
  { page: 'metrics', label: 'Metrics' },
  { page: 'settings', label: 'Settings' },
];

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'server':
      return (
        <Suspense fallback={<Loading what="the server" />}>
          <ServerDetail key={route.name} name={route.name} tab={route.tab} />
        </Suspense>
      );
    case 'connect':
      return (
        <Suspense fallback={<Loading what="the snippets" />}>
          <ConnectPage />
        </Suspense>
      );
    case 'catalog':
      return (
        <Suspense fallback={<Loading what="the catalog" />}>
          <CatalogPage />
        </Suspense>
      );
    case 'metrics':
      return (
        <Suspense fallback={<Loading what="charts" />}>
          <MetricsPage />
        </Suspense>
      );
    case 'settings':
      return (
        <Suspense fallback={<Loading what="settings" />}>
          <SettingsPage />
        </Suspense>
      );
    default:
      return <ServersPage />;
  }
}

export function App() {
  const route = useUi((s) => s.route);
  const navigate = useUi((s) => s.navigate);
  const count = useServers((s) => s.names.length);
  const appInfo = useServers((s) => s.appInfo);
  const current = route.page === 'server' ? 'servers' : route.page;
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Switchboard
        </div>
        {nav.map((item) => (
          <button
            key={item.page}
            type="button"
            className="nav-link"
            aria-current={current === item.page ? 'page' : undefined}
            onClick={() => navigate({ page: item.page })}
          >
            {item.label}
            {item.page === 'servers' && count > 0 && <span className="badge">{count}</span>}
          </button>
        ))}
        <div className="sidebar-footer">
          {appInfo ? `v${appInfo.version} · ${appInfo.host === 'web' ? 'web' : 'desktop'}` : ''}
        </div>
      </nav>
      <main className="content">
        {/* A page that fails to load (a stale chunk after an update) says so instead of blanking the app. */}
        <LoadBoundary key={route.page} what="This page">
          <Page route={route} />
        </LoadBoundary>
      </main>
      <Dialogs />
      <Notices />
      <ConnectionBanner />
    </div>
  );
}
