import { useEffect, useState } from 'react';
import type { AppEvents } from '../../shared/app-api.js';
import { useBridge } from './app-context.js';
import './connection-banner.css';

type Connection = AppEvents['connection'];

/**
 * A bar across the top while the link to the host is down, so nothing on the page passes for live when it is
 * not. The bridge reconnects by itself (with backoff) and the stores read everything again when it is back.
 */
export function ConnectionBanner() {
  const bridge = useBridge();
  const [connection, setConnection] = useState<Connection>({ state: 'online' });
  const [now, setNow] = useState(() => Date.now());
  const [retryAt, setRetryAt] = useState<number | null>(null);

  useEffect(
    () =>
      bridge.on('connection', (c) => {
        setConnection(c);
        setRetryAt(c.state === 'lost' && c.retryInMs !== undefined ? Date.now() + c.retryInMs : null);
      }),
    [bridge],
  );
  useEffect(() => {
    if (connection.state !== 'lost') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [connection.state]);

  if (connection.state === 'online') return null;
  const seconds = retryAt === null ? null : Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <strong>Connection lost — reconnecting…</strong>
      <span>
        What you see may be out of date.
        {seconds !== null && seconds > 0 ? ` Next try in ${seconds} s` : ' Trying now'}
        {connection.attempt && connection.attempt > 1 ? ` (attempt ${connection.attempt}).` : '.'}
      </span>
    </div>
  );
}
