import { useCallback, useEffect, useState } from 'react';
import type { RestartOnChangeView } from '../../../../shared/app-api.js';
import { useBridge } from '../../app-context.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';

/** The per-server "restart on change" switch: `switchboard dev` for a server of the registry, for this run. */
export function RestartOnChangeSwitch({ server }: { server: string }) {
  const bridge = useBridge();
  const [state, setState] = useState<RestartOnChangeView | null>(null);
  const action = useAction();
  const load = useCallback(
    () => action.run(async () => setState(await bridge.getRestartOnChange(server))),
    [action.run, bridge, server],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const toggle = (enabled: boolean) =>
    void action.run(async () => setState(await bridge.setRestartOnChange(server, enabled)));
  return (
    <div className="stack">
      <label className="row">
        <input
          type="checkbox"
          checked={state?.enabled ?? false}
          disabled={state === null || action.pending}
          onChange={(e) => toggle(e.target.checked)}
        />
        Restart when its files change
        {state?.enabled && <span className="muted small mono">watching {state.paths.join(', ')}</span>}
      </label>
      <ErrorText message={action.error} />
    </div>
  );
}
