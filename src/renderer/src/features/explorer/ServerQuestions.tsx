import { useMemo, useState, type FormEvent } from 'react';
import { useExplorer, useStores } from '../../app-context.js';
import { argsFromValues, fieldsFromSchema, initialValues, type FieldValues } from '../../lib/json-schema-form.js';
import type { Question } from '../../stores/explorer-store.js';
import { MessageList } from './ResultView.js';
import { SchemaForm } from './SchemaForm.js';
import './explorer.css';

/** Sampling: the request as the server sent it, and a reply the user writes (or a refusal). */
function SamplingQuestion({ server, question }: { server: string; question: Question }) {
  const { answer } = useStores().explorer.getState();
  const p = question.params;
  const [reply, setReply] = useState('');
  const [model, setModel] = useState('switchboard-explorer');
  const [tried, setTried] = useState(false);
  const messages = Array.isArray(p.messages) ? (p.messages as Array<Record<string, unknown>>) : [];
  const facts: Array<[string, unknown]> = [
    ['max tokens', p.maxTokens],
    ['temperature', p.temperature],
    ['include context', p.includeContext],
    ['stop sequences', Array.isArray(p.stopSequences) ? p.stopSequences.join(', ') : undefined],
  ];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!reply.trim()) return;
    void answer(server, question.requestId, {
      result: { role: 'assistant', content: { type: 'text', text: reply }, model, stopReason: 'endTurn' },
    });
  };
  return (
    <form
      className="card stack server-question"
      onSubmit={onSubmit}
      data-testid="sampling-request"
      aria-label="Sampling request"
    >
      <div className="row wrap">
        <strong>{server} asks for a model reply</strong>
        <span className="badge info">sampling/createMessage</span>
      </div>
      {typeof p.systemPrompt === 'string' && (
        <div className="stack" style={{ gap: '0.2rem' }}>
          <span className="small muted">System prompt</span>
          <pre className="result-text">{p.systemPrompt}</pre>
        </div>
      )}
      <MessageList messages={messages} />
      <div className="row wrap small muted">
        {facts
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => (
            <span key={k}>
              {k}: <span className="mono">{String(v)}</span>
            </span>
          ))}
        {p.modelPreferences !== undefined && (
          <span title={JSON.stringify(p.modelPreferences)}>model preferences given</span>
        )}
      </div>
      <label className="field">
        <span className="field-label">Your reply, as the assistant</span>
        <textarea rows={4} value={reply} onChange={(e) => setReply(e.target.value)} autoFocus />
        {tried && !reply.trim() && <span className="field-error">Write a reply, or decline.</span>}
      </label>
      <label className="field">
        <span className="field-label">Model name reported</span>
        <input className="mono" value={model} onChange={(e) => setModel(e.target.value)} spellCheck={false} />
      </label>
      <div className="row">
        <button type="submit" className="primary">
          Send reply
        </button>
        <button
          type="button"
          onClick={() =>
            void answer(server, question.requestId, {
              error: { code: -1, message: 'The user declined the sampling request' },
            })
          }
        >
          Decline
        </button>
      </div>
    </form>
  );
}

/** Elicitation: a form built from the requested schema; accept (validated), decline or cancel. */
function ElicitationQuestion({ server, question }: { server: string; question: Question }) {
  const { answer } = useStores().explorer.getState();
  const schema = question.params.requestedSchema;
  const fields = useMemo(() => fieldsFromSchema(schema), [schema]);
  const [values, setValues] = useState<FieldValues>(() => initialValues(fields));
  const [tried, setTried] = useState(false);
  const built = useMemo(() => argsFromValues(schema, fields, values), [schema, fields, values]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (built.ok) void answer(server, question.requestId, { result: { action: 'accept', content: built.args } });
  };
  const reply = (action: 'decline' | 'cancel') => void answer(server, question.requestId, { result: { action } });
  return (
    <form
      className="card stack server-question"
      onSubmit={onSubmit}
      noValidate
      data-testid="elicitation-request"
      aria-label="Elicitation request"
    >
      <div className="row wrap">
        <strong>{server} asks you for information</strong>
        <span className="badge info">elicitation/create</span>
      </div>
      {typeof question.params.message === 'string' && <p className="pre-line">{question.params.message}</p>}
      <SchemaForm
        fields={fields}
        values={values}
        errors={tried && !built.ok ? built.errors : {}}
        onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
        empty="Nothing to fill in."
      />
      <div className="row">
        <button type="submit" className="primary">
          Accept
        </button>
        <button type="button" onClick={() => reply('decline')}>
          Decline
        </button>
        <button type="button" onClick={() => reply('cancel')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** What the server is asking the explorer's session right now, oldest first, above whatever is selected. */
export function ServerQuestions({ server }: { server: string }) {
  const questions = useExplorer((s) => s.questions[server]);
  const note = useExplorer((s) => s.questionNotes[server]);
  if (!questions?.length && !note) return null;
  return (
    <div className="stack" aria-live="polite">
      {note && !questions?.length && <div className="warn-box small">{note}</div>}
      {questions?.map((q) =>
        q.method === 'sampling/createMessage' ? (
          <SamplingQuestion key={q.requestId} server={server} question={q} />
        ) : (
          <ElicitationQuestion key={q.requestId} server={server} question={q} />
        ),
      )}
    </div>
  );
}
