import { useState, type FormEvent } from 'react';
import type { PromptInfo, ResourceInfo, ResourceTemplateInfo } from '../../../../shared/app-api.js';
import { useExplorer, useStores } from '../../app-context.js';
import { Field } from '../../components/Field.js';
import { expandTemplate, templateVariables } from '../../lib/uri-template.js';
import { outcomeKey } from '../../stores/explorer-store.js';
import { OutcomeView } from './ResultView.js';

function Heading({ title, subtitle, description }: { title: string; subtitle?: string; description?: string }) {
  return (
    <div className="stack" style={{ gap: '0.25rem' }}>
      <h2>{title}</h2>
      {subtitle && <div className="mono small muted">{subtitle}</div>}
      {description && <p className="muted pre-line">{description}</p>}
    </div>
  );
}

export function ResourcePanel({ server, resource }: { server: string; resource: ResourceInfo }) {
  const outcome = useExplorer((s) => s.outcomes[outcomeKey(server, 'resource', resource.uri)]);
  const { readResource } = useStores().explorer.getState();
  return (
    <div className="stack">
      <Heading
        title={resource.title ?? resource.name}
        subtitle={`${resource.uri}${resource.mimeType ? ` · ${resource.mimeType}` : ''}`}
        description={resource.description}
      />
      <div>
        <button
          type="button"
          className="primary"
          disabled={outcome?.status === 'running'}
          onClick={() => void readResource(server, resource.uri, resource.uri)}
        >
          Read
        </button>
      </div>
      <OutcomeView outcome={outcome} />
    </div>
  );
}

export function TemplatePanel({ server, template }: { server: string; template: ResourceTemplateInfo }) {
  const names = templateVariables(template.uriTemplate);
  const [values, setValues] = useState<Record<string, string>>({});
  const outcome = useExplorer((s) => s.outcomes[outcomeKey(server, 'resource', template.uriTemplate)]);
  const { readResource } = useStores().explorer.getState();
  const uri = expandTemplate(template.uriTemplate, values);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void readResource(server, uri, template.uriTemplate);
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <Heading title={template.name} subtitle={template.uriTemplate} description={template.description} />
      {names.map((n) => (
        <Field key={n} label={n}>
          <input value={values[n] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [n]: e.target.value }))} />
        </Field>
      ))}
      <div className="row">
        <button type="submit" className="primary" disabled={outcome?.status === 'running'}>
          Read
        </button>
        <span className="mono small muted ellipsis">{uri}</span>
      </div>
      <OutcomeView outcome={outcome} />
    </form>
  );
}

export function PromptPanel({ server, prompt }: { server: string; prompt: PromptInfo }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [tried, setTried] = useState(false);
  const outcome = useExplorer((s) => s.outcomes[outcomeKey(server, 'prompt', prompt.name)]);
  const { getPrompt } = useStores().explorer.getState();
  const missing = (prompt.arguments ?? []).filter((a) => a.required && !values[a.name]).map((a) => a.name);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (missing.length > 0) return;
    const args = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    void getPrompt(server, prompt.name, args);
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <Heading title={prompt.title ?? prompt.name} description={prompt.description} />
      {(prompt.arguments ?? []).map((a) => (
        <Field
          key={a.name}
          label={`${a.name}${a.required ? ' (required)' : ''}`}
          hint={a.description}
          error={tried && missing.includes(a.name) ? `${a.name} is required` : undefined}
        >
          <input
            value={values[a.name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [a.name]: e.target.value }))}
          />
        </Field>
      ))}
      <div>
        <button type="submit" className="primary" disabled={outcome?.status === 'running'}>
          Get prompt
        </button>
      </div>
      <OutcomeView outcome={outcome} />
    </form>
  );
}
