import type { ServerState, ServerView } from '../../../../shared/app-api.js';

/**
 * How far each imported server has got, and the one notice that says what the import did. Servers start after
 * the import has answered (an `npx -y` install can take minutes), so this follows their live state.
 */

export interface RowOutcome {
  label: string;
  /** A badge tone: ok, info, warn, err or none. */
  tone: string;
  state: ServerState | 'disabled' | 'removed';
  reason: string;
  stderrTail?: string[];
  /** Past starting: running, failed, installing (a long wait the row shows), disabled or stopped. */
  settled: boolean;
}

export function outcomeOf(view: ServerView | undefined): RowOutcome {
  if (!view) return { label: 'removed', tone: '', state: 'removed', reason: 'removed since the import', settled: true };
  const { state, reason, stderrTail } = view.status;
  if (!view.definition.enabled) {
    return { label: 'saved, disabled', tone: '', state: 'disabled', reason: 'disabled in the config', settled: true };
  }
  const base = { state, reason, ...(stderrTail && stderrTail.length > 0 ? { stderrTail } : {}) };
  switch (state) {
    case 'running':
    case 'degraded':
      return { ...base, label: 'running', tone: 'ok', settled: true };
    case 'failed':
      return { ...base, label: 'failed', tone: 'err', settled: true };
    case 'installing':
      return { ...base, label: 'installing…', tone: 'info', settled: true };
    case 'stopped':
    case 'stopping':
      return { ...base, label: 'stopped', tone: '', settled: true };
    case 'backoff':
      return { ...base, label: 'retrying…', tone: 'warn', settled: false };
    default:
      return { ...base, label: 'starting…', tone: 'info', settled: false };
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface ImportSummary {
  settled: boolean;
  /** Every imported server is running (or was imported disabled): nothing for the user to look at. */
  allWell: boolean;
  message: string;
  tone: 'info' | 'warning';
}

/** "Imported 5 servers: 1 running, 4 failed — see each row", from the servers' current state. */
export function importSummary(views: Array<ServerView | undefined>): ImportSummary {
  const outcomes = views.map(outcomeOf);
  const count = (label: string) => outcomes.filter((o) => o.label === label).length;
  const parts = (
    [
      ['running', 'running'],
      ['starting…', 'starting'],
      ['retrying…', 'retrying'],
      ['installing…', 'installing'],
      ['failed', 'failed'],
      ['stopped', 'stopped'],
      ['saved, disabled', 'disabled'],
      ['removed', 'removed'],
    ] as const
  )
    .map(([label, word]) => [count(label), word] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`);
  const allWell = outcomes.every((o) => o.label === 'running' || o.state === 'disabled');
  const lookAtRows = outcomes.some((o) => o.tone === 'err' || o.state === 'installing');
  return {
    settled: outcomes.every((o) => o.settled),
    allWell,
    message: `Imported ${plural(views.length, 'server')}: ${parts.join(', ')}${lookAtRows ? ' — see each row' : '.'}`,
    tone: outcomes.some((o) => o.tone === 'err') ? 'warning' : 'info',
  };
}

interface Subscribable {
  getState(): { byName: Record<string, ServerView> };
  subscribe(listener: () => void): () => void;
}

/**
 * Calls `done` once, when every named server has settled, with what the import did. It outlives the dialog (the
 * user may close it while an install runs); returns the unsubscribe.
 */
export function watchImport(servers: Subscribable, names: string[], done: (summary: ImportSummary) => void) {
  let finished = false;
  const check = () => {
    if (finished) return;
    const byName = servers.getState().byName;
    const summary = importSummary(names.map((n) => byName[n]));
    if (!summary.settled) return;
    finished = true;
    off();
    done(summary);
  };
  const off = servers.subscribe(check);
  check();
  return () => {
    finished = true;
    off();
  };
}
