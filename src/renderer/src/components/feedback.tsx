import type { ReactNode } from 'react';

/** An error where it happened, in the engine's words. Announced to screen readers. */
export function ErrorText({ message, title }: { message: string | null | undefined; title?: string }) {
  if (!message) return null;
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title}: </strong>}
      {message}
    </div>
  );
}

export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children && <div className="muted">{children}</div>}
      {actions && (
        <div className="row wrap" style={{ justifyContent: 'center', marginTop: '0.5rem' }}>
          {actions}
        </div>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}
