/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

export interface BindSettings {
  host: string;
  /** null: auth off. */
  token: string | null;
  tls: boolean;
  /** The user accepted a bind beyond loopback without a token or TLS. */
  insecure: boolean;
}

/**
 * What is missing for `host` to be safe to bind, or null. Beyond loopback anyone on the network can connect and
 * read the traffic, so a token and TLS are required; `insecure` waives that (the caller still says so at start).
 */
export function remoteBindProblem({ host, token, tls, insecure }: BindSettings): string | null {
  if (insecure || isLoopbackHost(host)) return null;
  const missing = [
    token === null ? 'a bearer token (drop --no-auth)' : null,
    tls ? null : 'TLS (--tls-cert FILE --tls-key FILE)',
  ].filter((m): m is string => m !== null);
  if (missing.length === 0) return null;
  return (
    `binding ${host} makes Switchboard reachable beyond this machine, which needs ${missing.join(' and ')}; ` +
    `pass --insecure to accept the risk`
  );
}

/** When --insecure was needed, the line to print at start: it is said in words every time. */
export function insecureBindWarning(settings: BindSettings): string | null {
  if (!settings.insecure || !remoteBindProblem({ ...settings, insecure: false })) return null;
  const missing = [settings.token === null ? 'no token' : null, settings.tls ? null : 'no TLS'].filter(Boolean);
  return `WARNING (--insecure): ${settings.host} is reachable beyond this machine with ${missing.join(' and ')}.`;
}
