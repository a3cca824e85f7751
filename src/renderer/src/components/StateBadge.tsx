import type { ServerState } from '../../../shared/app-api.js';

const tone: Record<ServerState, string> = {
  running: 'ok',
  starting: 'info',
  installing: 'info',
  stopping: 'info',
  degraded: 'warn',
  backoff: 'warn',
  failed: 'err',
  stopped: '',
};

export function StateBadge({ state }: { state: ServerState }) {
  return (
    <span className={`badge ${tone[state]}`} data-state={state}>
      <span className="dot" aria-hidden="true" />
      {state === 'installing' ? 'installing…' : state}
    </span>
  );
}
