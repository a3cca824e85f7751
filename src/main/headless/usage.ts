// The help text and the usage error, with no imports: `switchboard --help` loads this file and nothing else.

/** A command line the CLI cannot act on: printed with the usage text, exit 2. */
export class UsageError extends Error {}

export const usage = `Usage:
  switchboard run [options] -- COMMAND [ARGS...]    expose one stdio MCP server over HTTP
  switchboard serve [--config FILE] [options]       serve the registry (seeded from an mcpServers JSON file) and
                                                    the dashboard at /ui/
  switchboard dev [--watch PATH]... [options] -- COMMAND [ARGS...]
                                                    like run, restarting the server when its files change and
                                                    printing what changed in its tools, resources and prompts
  switchboard lint [--json] -- COMMAND [ARGS...]    check a server against the MCP schema (exit 1 on errors)
  switchboard replay FILE.jsonl [--ignore PATH]... -- COMMAND [ARGS...]
                                                    replay recorded traffic and compare the answers
  switchboard connect [--server NAME] [--url URL] [--token T]
                                                    a stdio MCP server bridging to a running Switchboard (for
                                                    clients that only launch stdio servers)
  switchboard version                               print the version

Each command's own options: switchboard COMMAND --help.

Options:
  --port N               port to listen on (env TRANSPORT_SSE_PORT, default 8808; 0 picks a free one)
  --host H               address to bind (env TRANSPORT_SSE_HOST, default 127.0.0.1)
  --token T              bearer token clients must send (env API_ACCESS_TOKEN; generated when absent)
  --no-auth              accept requests without a token (loopback use only)
  --allow-origin O       allow a browser origin, repeatable (env TRANSPORT_ALLOW_ORIGINS, comma separated)
  --allow-host H         accept this name in the Host header besides loopback names, repeatable, e.g. a
                         Kubernetes Service name (env TRANSPORT_ALLOW_HOSTS, comma separated)
  --env K=V              set a variable for the server (run), repeatable
  --pass-environment     give servers the whole environment, not just the safe allowlist (env TRANSPORT_PASS_ENV)
  --name NAME            the server's name in URLs (run; default: the command's name)
  --config FILE          an mcpServers file whose servers join the registry, refreshed at every start (serve)
  --data-dir DIR         where Switchboard keeps its registry, settings, logs and traffic (serve;
                         default: the platform's per-user data folder)
  --enable-terminal      let the web dashboard open terminals (serve; env SWITCHBOARD_ENABLE_TERMINAL)
  --log-level L          debug, info, warn, error or silent (env TRANSPORT_LOG_LEVEL)
  --max-processes N      most servers running at once (env TRANSPORT_MAX_PROCESSES, default 10)
  --tls-cert FILE        PEM certificate: serve HTTPS (and WSS) only; with --tls-key
  --tls-key FILE         PEM private key of --tls-cert
  --insecure             allow a --host beyond loopback without TLS or a token (by default that is refused)

Tuning (each also set by the environment variable SWITCHBOARD_<NAME>, e.g. SWITCHBOARD_MESSAGE_TIMEOUT_MS):
  --connection-timeout-ms N   how long a server may take to answer initialize (default 10000)
  --max-reconnect-attempts N  failed starts before a server is marked failed (default 5)
  --reconnect-delay-ms N      first delay before a restart, doubled each time (default 1000)
  --max-queue-size N          requests held per server while it starts (default 1000)
  --message-timeout-ms N      how long a request may wait for its answer (default 60000)
  --keepalive-interval-ms N   keepalive comments on open streams, 0 for none (default 15000)
  --max-message-bytes N       largest message a server may send (default 33554432)
  --registry-url URL          the MCP registry the dashboard's catalog reads
                              (default https://registry.modelcontextprotocol.io)

Settings resolve as defaults < saved in the dashboard (serve) < environment < flags.
`;
