import { useMemo, useState, type FormEvent } from 'react';
import type { ToolInfo } from '../../../../shared/app-api.js';
import { useExplorer, useStores } from '../../app-context.js';
import { argsFromValues, fieldsFromSchema, initialValues, type FieldValues } from '../../lib/json-schema-form.js';
import { outcomeKey } from '../../stores/explorer-store.js';
import { OutcomeView } from './ResultView.js';
import { SchemaForm } from './SchemaForm.js';

/** One tool: its description, a form from its input schema, Call, and the result. */
export function ToolPanel({ server, tool }: { server: string; tool: ToolInfo }) {
  const fields = useMemo(() => fieldsFromSchema(tool.inputSchema), [tool.inputSchema]);
  const [values, setValues] = useState<FieldValues>(() => initialValues(fields));
  const [tried, setTried] = useState(false);
  const key = outcomeKey(server, 'tool', tool.name);
  const outcome = useExplorer((s) => s.outcomes[key]);
  const { callTool, cancel } = useStores().explorer.getState();
  const built = useMemo(() => argsFromValues(tool.inputSchema, fields, values), [tool.inputSchema, fields, values]);
  const errors = tried && !built.ok ? built.errors : {};
  const [showArgs, setShowArgs] = useState(false);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (built.ok) void callTool(server, tool.name, built.args);
  };
  const hints = tool.annotations ? Object.entries(tool.annotations).filter(([, v]) => v === true) : [];
  return (
    <form className="stack" onSubmit={onSubmit} aria-label={`Call ${tool.name}`} data-tool={tool.name}>
      <div className="stack" style={{ gap: '0.25rem' }}>
        <div className="row wrap">
          <h2 className="mono">{tool.name}</h2>
          {tool.title && <span className="muted">{tool.title}</span>}
          {hints.map(([k]) => (
            <span key={k} className="badge">
              {k.replace(/Hint$/, '')}
            </span>
          ))}
        </div>
        {tool.description && <p className="muted pre-line">{tool.description}</p>}
      </div>
      <SchemaForm
        fields={fields}
        values={values}
        errors={errors}
        onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
      />
      <div className="row">
        <button type="submit" className="primary" disabled={outcome?.status === 'running'}>
          Call {tool.name}
        </button>
        <button type="button" className="small link" onClick={() => setShowArgs((s) => !s)} aria-expanded={showArgs}>
          {showArgs ? 'Hide' : 'Show'} arguments and schema
        </button>
      </div>
      {showArgs && (
        <div className="grid-2">
          <pre className="json-view">{built.ok ? JSON.stringify(built.args, null, 2) : '(fix the fields above)'}</pre>
          <pre className="json-view">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
        </div>
      )}
      <OutcomeView outcome={outcome} onCancel={() => void cancel(server, key)} />
    </form>
  );
}
