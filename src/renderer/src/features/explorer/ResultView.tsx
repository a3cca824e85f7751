import type { ToolCallResult } from '../../../../shared/app-api.js';
import { formatMs } from '../../lib/format.js';
import { viewContent, viewResourceContents, type ContentView } from '../../lib/tool-result.js';
import type { Outcome } from '../../stores/explorer-store.js';

/** One content item, safely: text as text, images only from data: URLs of image types, the rest as JSON text. */
function Content({ view }: { view: ContentView }) {
  switch (view.kind) {
    case 'text':
      return <pre className="result-text">{view.text}</pre>;
    case 'image':
      return <img className="result-image" src={view.src} alt={`${view.mimeType} image returned by the tool`} />;
    case 'resource':
      return (
        <div className="stack">
          <div className="small muted mono">
            {view.uri} {view.mimeType && `· ${view.mimeType}`}
          </div>
          {view.image && <img className="result-image" src={view.image} alt={view.uri} />}
          {view.text !== undefined && <pre className="result-text">{view.text}</pre>}
        </div>
      );
    case 'json':
      return (
        <div className="stack">
          <div className="small muted">{view.label}</div>
          <pre className="json-view">{view.json}</pre>
        </div>
      );
  }
}

function ToolResultView({ result }: { result: ToolCallResult }) {
  return (
    <div className="stack">
      {result.isError && (
        <div className="error-box" role="alert">
          The tool reported an error (isError). Its message:
        </div>
      )}
      {result.content.map((item, i) => (
        <Content key={i} view={viewContent(item)} />
      ))}
      {result.content.length === 0 && <p className="muted small">No content.</p>}
      {result.structuredContent !== undefined && (
        <div className="stack">
          <div className="small muted">structured content</div>
          <pre className="json-view">{JSON.stringify(result.structuredContent, null, 2)}</pre>
        </div>
      )}
    </div>
  );
}

/** The outcome of the last call, read or get, with its latency. */
export function OutcomeView({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  const latency =
    outcome.status === 'tool' ? outcome.result.latencyMs : outcome.status === 'running' ? null : outcome.latencyMs;
  return (
    <section className="card stack result" aria-live="polite" data-testid="call-result" data-status={outcome.status}>
      <div className="row small">
        <strong>{outcome.status === 'running' ? 'Running…' : outcome.status === 'error' ? 'Failed' : 'Result'}</strong>
        <span className="spacer" />
        {latency !== null && (
          <span className="muted" data-testid="call-latency">
            {formatMs(latency)}
          </span>
        )}
      </div>
      {outcome.status === 'error' && (
        <div className="error-box" role="alert">
          {outcome.message}
        </div>
      )}
      {outcome.status === 'tool' && <ToolResultView result={outcome.result} />}
      {outcome.status === 'contents' &&
        outcome.contents.map((item, i) => <Content key={i} view={viewResourceContents(item)} />)}
      {outcome.status === 'prompt' && <pre className="json-view">{JSON.stringify(outcome.result, null, 2)}</pre>}
    </section>
  );
}
