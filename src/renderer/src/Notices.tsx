import { useUi } from './app-context.js';

/** Warnings from the engine that belong to no action (store degraded, settings ignored). */
export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.tone === 'warning' ? 'warn-box' : 'card'}`} role="status">
          <span style={{ flex: 1 }}>{n.message}</span>
          <button type="button" className="small" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
