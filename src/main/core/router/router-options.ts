import type { ToolFilter } from './tool-filter.js';

export interface RouterOptions {
  /** Per-request timeout, extended by each progress notification. */
  requestTimeoutMs: number;
  /** Hard limit however much progress arrives. */
  maxRequestTimeoutMs: number;
  /** Requests held while the server (re)starts; more are refused. */
  maxQueuedWhileStarting: number;
  toolFilter?: ToolFilter;
}

export const defaultRouterOptions: RouterOptions = {
  requestTimeoutMs: 60_000,
  maxRequestTimeoutMs: 600_000,
  maxQueuedWhileStarting: 1000,
};
