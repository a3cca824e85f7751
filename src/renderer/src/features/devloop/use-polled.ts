import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/errors.js';

/**
 * Reads something now and again every `intervalMs` while the view is open, plus on demand (`reload`). For the
 * developer's-loop views: their data changes a few times a minute at most (a restart, a bad frame), so a slow
 * poll of one small call is cheaper than another event stream.
 */
export function usePolled<T>(read: () => Promise<T>, intervalMs = 2000) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setValue(await read());
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [read]);
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), intervalMs);
    return () => clearInterval(timer);
  }, [reload, intervalMs]);
  return { value, error, reload };
}
