import { useCallback } from 'react';
import type { SchemaRunView } from '../../../../shared/app-api.js';
import { useBridge } from '../../app-context.js';
import { EmptyState, ErrorText, Loading } from '../../components/feedback.js';
import { formatClock, plural } from '../../lib/format.js';
import { RestartOnChangeSwitch } from './RestartOnChangeSwitch.js';
import { usePolled } from './use-polled.js';
import './devloop.css';

const kindLabel: Record<SchemaRunView['changes'][number]['kind'], string> = {
  tool: 'tool',
  resource: 'resource',
  resourceTemplate: 'resource template',
  prompt: 'prompt',
};
const sign = { added: '+', removed: '−', changed: '~' } as const;

function RunCard({ run }: { run: SchemaRunView }) {
  const { tools, resources, resourceTemplates, prompts } = run.counts;
  const summary = `${plural(tools, 'tool')}, ${plural(resources, 'resource')}, ${plural(resourceTemplates, 'template')}, ${plural(prompts, 'prompt')}`;
  return (
    <li className="card stack" aria-label={`Run at ${formatClock(run.time)}`}>
      <div className="row wrap">
        <strong>{new Date(run.time).toLocaleString()}</strong>
        <span className="muted small">{summary}</span>
        <span className="spacer" />
        {run.first ? (
          <span className="badge">first run recorded</span>
        ) : (
          <span className="badge">
            {run.changes.length === 0 ? 'no changes' : plural(run.changes.length, 'change')}
          </span>
        )}
      </div>
      {run.changes.length > 0 && (
        <ul className="schema-changes mono small">
          {run.changes.map((c) => (
            <li key={`${c.kind}:${c.name}`} data-change={c.change}>
              <span aria-label={c.change}>{sign[c.change]}</span> {kindLabel[c.kind]} <strong>{c.name}</strong>
              {c.details.length > 0 && (
                <ul>
                  {c.details.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** What changed in the server's tools, resources, templates and prompts at each of its last starts. */
export function SchemaTab({ server }: { server: string }) {
  const bridge = useBridge();
  const read = useCallback(() => bridge.getSchemaHistory(server, 10), [bridge, server]);
  const { value: runs, error } = usePolled(read);
  if (error) return <ErrorText title="Could not read the schema history" message={error} />;
  if (!runs) return <Loading what="the schema history" />;
  if (runs.length === 0) {
    return (
      <div className="stack scroll-panel">
        <RestartOnChangeSwitch server={server} />
        <EmptyState title="No runs recorded yet">
          Each time the server starts, Switchboard lists everything it offers and shows here what changed since the run
          before.
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="stack scroll-panel">
      <RestartOnChangeSwitch server={server} />
      <p className="muted">
        The last {plural(runs.length, 'start')} of {server}, newest first.
      </p>
      <ol className="stack schema-runs">
        {runs.map((run) => (
          <RunCard key={run.id} run={run} />
        ))}
      </ol>
    </div>
  );
}
