/**
 * JSON as a server sent it, before anything has checked it. Read only with optional chaining and typeof checks:
 * the point of the linter is that these values may be anything, so a precise type would be a claim, not a fact.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untrusted input, narrowed at each use
export type LooseJson = Record<string, any>;
