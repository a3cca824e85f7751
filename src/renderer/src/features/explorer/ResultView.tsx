import type { ToolCallResult } from '../../../../shared/app-api.js';
import { formatMs } from '../../lib/format.js';
import { viewContent, viewResourceContents, type ContentView } from '../../lib/tool-result.js';
import type { Outcome } from '../../stores/explorer-store.js';
import './explorer.css';

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

/** Prompt and sampling messages: each with its role, its content rendered like a tool result's. */
export function MessageList({ messages }: { messages: Array<Record<string, unknown>> }) {
  if (messages.length === 0) return <p className="muted small">No messages.</p>;
  return (
    <div className="message-list" data-testid="messages">
      {messages.map((m, i) => {
        const role = typeof m.role === 'string' ? m.role : 'message';
        const content = Array.isArray(m.content) ? m.content : [m.content];
        return (
          <div key={i} className="message" data-role={role}>
            <span className="message-role">{role}</span>
            {content.map((c, j) =>
              typeof c === 'object' && c !== null ? (
                <Content key={j} view={viewContent(c as Record<string, unknown>)} />
              ) : (
                <pre key={j} className="result-text">
                  {String(c)}
                </pre>
              ),
            )}
          </div>
        );
      })}
    </div>
  );
}

function PromptResultView({ result }: { result: Record<string, unknown> }) {
  const messages = Array.isArray(result.messages) ? (result.messages as Array<Record<string, unknown>>) : [];
  return (
    <div className="stack">
      {typeof result.description === 'string' && <p className="muted">{result.description}</p>}
      <MessageList messages={messages} />
    </div>
  );
}

function Running({ outcome, onCancel }: { outcome: Extract<Outcome, { status: 'running' }>; onCancel?: () => void }) {
  const p = outcome.progress;
  const known = p?.total !== undefined && p.total > 0;
  return (
    <div className="call-progress" data-testid="call-progress">
      {/* Without a total the bar is indeterminate: progress came, but how far along is unknown. */}
      <progress max={known ? p!.total : undefined} value={known ? Math.min(p!.progress, p!.total!) : undefined} />
      <span className="small muted">
        {p ? `${p.progress}${known ? ` of ${p.total}` : ''}${p.message ? ` · ${p.message}` : ''}` : 'waiting…'}
      </span>
      {onCancel && (
        <button type="button" className="small" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** The outcome of the last call, read or get, with its latency; a running call shows progress and Cancel. */
export function OutcomeView({ outcome, onCancel }: { outcome: Outcome | undefined; onCancel?: () => void }) {
  if (!outcome) return null;
  const failed = outcome.status === 'error' || (outcome.status === 'tool' && outcome.result.isError === true);
  const latency =
    outcome.status === 'tool' ? outcome.result.latencyMs : outcome.status === 'running' ? null : outcome.latencyMs;
  return (
    <section
      className="card stack result"
      aria-live="polite"
      data-testid="call-result"
      data-status={outcome.status === 'tool' && outcome.result.isError ? 'tool-error' : outcome.status}
    >
      <div className="row small">
        <strong className={failed ? 'field-error' : undefined}>
          {outcome.status === 'running'
            ? 'Running…'
            : outcome.status === 'error'
              ? outcome.cancelled
                ? 'Cancelled'
                : 'Failed'
              : failed
                ? 'Tool error'
                : 'Result'}
        </strong>
        <span className="spacer" />
        {latency !== null && (
          <span className="muted" data-testid="call-latency">
            {formatMs(latency)}
          </span>
        )}
      </div>
      {outcome.status === 'running' && <Running outcome={outcome} onCancel={outcome.callId ? onCancel : undefined} />}
      {outcome.status === 'error' && (
        <div className="error-box" role="alert">
          {outcome.message}
        </div>
      )}
      {outcome.status === 'tool' && <ToolResultView result={outcome.result} />}
      {outcome.status === 'contents' &&
        outcome.contents.map((item, i) => <Content key={i} view={viewResourceContents(item)} />)}
      {outcome.status === 'prompt' && <PromptResultView result={outcome.result} />}
    </section>
  );
}
