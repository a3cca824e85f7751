import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/errors.js';

/**
 * Runs an async action from a click and keeps its error next to the control that started it. `run` resolves to
 * whether the action succeeded, so callers can close a dialog only on success.
 */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setPending(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      if (mounted.current) setError(errorMessage(err));
      return false;
    } finally {
      if (mounted.current) setPending(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, pending, error, clear };
}
