import { useUi } from './app-context.js';

const toneClass = { error: 'error-box', warning: 'warn-box', info: 'card' } as const;

/**
 * What happened that belongs to no one action (store degraded, settings ignored, an import's outcome). A band
 * above the page, in the layout's flow: it pushes the page down rather than covering rows. Info and warnings go
 * by themselves (ui-store); errors stay until dismissed.
 */
export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`notice ${toneClass[n.tone]}`}
          role={n.tone === 'error' ? 'alert' : 'status'}
          data-tone={n.tone}
        >
          <span style={{ flex: 1 }}>{n.message}</span>
          <button type="button" className="small" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
