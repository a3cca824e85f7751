import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * Catches a view that failed to load or render, so one broken part never blanks the whole dashboard. The usual
 * cause with a split build: Switchboard was updated (or rebuilt) while this page stayed open, and the part just
 * opened no longer exists under its old name; reloading fetches the new build.
 */
export class LoadBoundary extends Component<{ what: string; children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const stale = /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(
      error.message,
    );
    return (
      <div className="error-box stack" role="alert" data-testid="load-error">
        <span>
          <strong>{this.props.what} could not be shown: </strong>
          {stale
            ? 'this page is older than the Switchboard serving it (it was updated or rebuilt since the page opened).'
            : error.message || 'an unexpected error.'}
        </span>
        <div className="row">
          <button type="button" onClick={() => location.reload()}>
            Reload the page
          </button>
          {!stale && (
            <button type="button" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
          )}
        </div>
      </div>
    );
  }
}
