import type { ToolFilter } from './tool-filter.js';
import type { ClientRouter } from './client-router.js';

export type { ToolFilter };

/** One server as the aggregate sees it. */
export interface AggregateMember {
  name: string;
  /** Its router: the aggregate joins it as one more client session, and lists through `request`. */
  router: ClientRouter;
  /** Tools to hide (the server's router may filter too; the aggregate applies it whatever the router does). */
  toolFilter?: ToolFilter;
  /**
   * False for a per-session server: the aggregate does not keep a session of its own open on it to watch for
   * list_changed (that session would cost a child); its lists are reloaded when the source reports a change.
   */
  shared?: boolean;
}

/** Where the aggregate gets its servers from (the engine, in production). */
export interface AggregateSource {
  /** The servers to aggregate now: enabled and running (or degraded), in a stable order. */
  servers(): AggregateMember[];
  /** Called whenever that set, or a member's router or filter, may have changed; returns the unsubscribe. */
  onChange(fn: () => void): () => void;
  /**
   * Enabled servers still starting (not yet running, failed or installing): list requests wait for them, within
   * a bound, so a client that lists during startup sees them. None: nothing is waited for.
   */
  starting?(): string[];
}

/** The engine's view of one server, structurally, so this file does not import the engine. */
export interface AggregatableServer {
  name: string;
  router: ClientRouter;
  state: { state: string };
  definition: { enabled: boolean; options: { sharing?: string; toolFilter?: ToolFilter } };
}

const OFFERED = new Set(['running', 'degraded']);

/**
 * An AggregateSource over the engine's servers: those enabled and running or degraded. `changes` are the
 * engine's event lists that may change the set (state changes; servers added, updated, removed).
 */
export function aggregateSourceOf(
  list: () => Iterable<AggregatableServer>,
  ...changes: Array<(fn: () => void) => () => void>
): AggregateSource {
  return {
    servers: () =>
      [...list()]
        .filter((s) => s.definition.enabled && OFFERED.has(s.state.state))
        .map((s) => ({
          name: s.name,
          router: s.router,
          toolFilter: s.definition.options.toolFilter,
          shared: s.definition.options.sharing !== 'per-session',
        })),
    onChange: (fn) => {
      const offs = changes.map((on) => on(fn));
      return () => offs.forEach((off) => off());
    },
    starting: () => [...list()].filter((s) => s.definition.enabled && s.state.state === 'starting').map((s) => s.name),
  };
}
