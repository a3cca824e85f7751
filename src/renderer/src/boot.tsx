import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/grid.css';
import './styles/features.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppBridge } from '../../shared/app-api.js';
import { App } from './App.js';
import { StoresProvider } from './app-context.js';
import { createAppStores, startAppStores } from './stores/app-stores.js';

/** Builds the stores over `bridge`, starts their event feeds and renders the dashboard into #root. */
export function boot(bridge: AppBridge): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  const stores = createAppStores(bridge, location.hash);
  const stop = startAppStores(stores);
  window.addEventListener('pagehide', stop, { once: true });
  createRoot(container).render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
}
