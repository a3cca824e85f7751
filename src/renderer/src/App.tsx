import type { CSSProperties } from 'react';

const page: CSSProperties = {
  fontFamily: 'system-ui, sans-serif',
  maxWidth: '40rem',
  margin: '3rem auto',
  padding: '0 1.5rem',
  lineHeight: 1.5,
  color: '#1f2937',
};

const code: CSSProperties = { background: '#f3f4f6', padding: '0.1rem 0.3rem', borderRadius: '0.25rem' };

/** Placeholder page until the dashboard lands: it tells the user where the running gateway can be inspected. */
export function App() {
  const versions = window.switchboard?.versions;
  return (
    <main style={page}>
      <h1>MCP Switchboard</h1>
      <p>The dashboard arrives in a later release. The gateway is already running.</p>
      <p>
        To see its address, servers and endpoints, open <code style={code}>/info</code> on the gateway, for example{' '}
        <code style={code}>curl http://127.0.0.1:&lt;port&gt;/info</code>. The address and port are printed when the app
        starts; add <code style={code}>-H &quot;Authorization: Bearer &lt;token&gt;&quot;</code> if a token is set.
      </p>
      {versions && (
        <p style={{ fontSize: '0.85rem', color: '#6b7280' }}>
          Electron {versions.electron} · Chromium {versions.chrome} · Node {versions.node}
        </p>
      )}
    </main>
  );
}
