import { useCallback } from 'react';
import type { ProblemView } from '../../../../shared/app-api.js';
import { useBridge } from '../../app-context.js';
import { EmptyState, ErrorText, Loading } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';
import { formatClock, plural, prettyJson } from '../../lib/format.js';
import { usePolled } from './use-polled.js';
import './devloop.css';

/** Problems by rule, the rule with the most first: one noisy habit should not bury a rare, worse one. */
function byRule(problems: ProblemView[]): Array<[string, ProblemView[]]> {
  const groups = new Map<string, ProblemView[]>();
  for (const p of problems) groups.set(p.rule, [...(groups.get(p.rule) ?? []), p]);
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
}

function ProblemItem({ problem }: { problem: ProblemView }) {
  return (
    <li className="stack problem" data-severity={problem.severity}>
      <div className="row wrap">
        <span className="badge">{problem.severity}</span>
        {problem.method && <span className="mono small">{problem.method}</span>}
        <span>{problem.message}</span>
        <span className="spacer" />
        <span className="muted small">
          {formatClock(problem.time)}
          {problem.seq !== null && ` · frame #${problem.seq}`}
        </span>
      </div>
      {/* The frame is shown as text: whatever a server sent, nothing in it is rendered as markup. */}
      {problem.frame && <pre className="json-view small">{prettyJson(problem.frame)}</pre>}
    </li>
  );
}

/** What the live protocol linter found in this server's frames, grouped by rule, with the offending frame. */
export function ProblemsTab({ server }: { server: string }) {
  const bridge = useBridge();
  const read = useCallback(() => bridge.getProblems(server), [bridge, server]);
  const { value: problems, error, reload } = usePolled(read);
  const clear = useAction();
  if (error) return <ErrorText title="Could not read the problems" message={error} />;
  if (!problems) return <Loading what="the problems" />;
  if (problems.length === 0) {
    return (
      <EmptyState title="No protocol problems">
        Every frame {server} sends is checked against the MCP schema of the version it negotiated: JSON-RPC framing,
        result shapes, tool schemas, capabilities. Anything wrong shows up here with the frame that showed it.
      </EmptyState>
    );
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <div className="stack scroll-panel">
      <div className="row wrap">
        <p className="muted">
          {plural(errors, 'error')}, {plural(problems.length - errors, 'warning')} in what {server} sent.
        </p>
        <span className="spacer" />
        <button
          type="button"
          className="small-button"
          disabled={clear.pending}
          onClick={() => void clear.run(() => bridge.clearProblems(server)).then(reload)}
        >
          Clear
        </button>
      </div>
      <ErrorText message={clear.error} />
      {byRule(problems).map(([rule, list]) => (
        <section key={rule} className="card stack" aria-label={`Rule ${rule}`}>
          <h3 className="mono">
            {rule} <span className="muted small">({list.length})</span>
          </h3>
          <ul className="stack problem-list">
            {list
              .slice()
              .reverse()
              .map((p, i) => (
                <ProblemItem key={`${p.time}-${i}`} problem={p} />
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
