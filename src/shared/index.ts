/**
 * The outcome of an operation that can fail in a way the caller is expected to handle.
 *
 * Failures carry a machine-readable `kind` (narrow it with a string-literal union, e.g.
 * `Result<ChildProcess, 'spawn_failed' | 'not_found'>`) and a `message` a user can act on.
 * Reserve thrown exceptions for bugs.
 */
export type Result<T, K extends string = string> = { ok: true; value: T } | { ok: false; kind: K; message: string };

/**
 * What the preload exposes on `window.switchboard` today. The full AppApi replaces it in a later release; the
 * preload checks itself against this type with `satisfies`, so the two cannot drift.
 */
export interface SwitchboardWindowApi {
  readonly versions: {
    readonly electron: string;
    readonly chrome: string;
    readonly node: string;
  };
}
