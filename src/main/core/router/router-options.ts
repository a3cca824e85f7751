import type { ToolFilter } from './tool-filter.js';

export interface RouterOptions {
  /** Per-request timeout, extended by each progress notification. */
  requestTimeoutMs: number;
  /** Hard limit however much progress arrives. */
  maxRequestTimeoutMs: number;
  /** Requests held while the server (re)starts; more are refused. */
  maxQueuedWhileStarting: number;
  toolFilter?: ToolFilter;
  /**
   * The child belongs to one client session (the per-session mode): it is initialized with that client's own
   * `initialize` params, and everything, server→client requests included, passes one to one.
   */
  exclusive?: { initialize: Record<string, unknown> };
  /** Roots Switchboard answers a shared child's `roots/list` with; none: the child is not offered roots. */
  roots: Array<{ uri: string; name?: string }>;
  /** How long a client may take to answer a server→client request before the child gets an error. */
  serverRequestTimeoutMs: number;
  /** A shared child asked a client something (sampling, elicitation, roots): the `auto` mode listens. */
  onServerRequest?: (method: string) => void;
}

export const defaultRouterOptions: RouterOptions = {
  requestTimeoutMs: 60_000,
  maxRequestTimeoutMs: 600_000,
  maxQueuedWhileStarting: 1000,
  roots: [],
  serverRequestTimeoutMs: 300_000,
};
