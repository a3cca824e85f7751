import type { AppErrorKind } from '../../../shared/app-api.js';

/** An error that crosses the AppApi boundary as `{ kind, message }`. */
export function appError(kind: AppErrorKind, message: string): Error & { kind: AppErrorKind } {
  return Object.assign(new Error(message), { kind });
}

/** Unwraps a repository Result, throwing its failure as an AppApi error. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; kind: string; message: string }): T {
  if (result.ok) return result.value;
  const kind: AppErrorKind =
    result.kind === 'duplicate'
      ? 'conflict'
      : result.kind === 'not_found'
        ? 'not_found'
        : result.kind === 'invalid'
          ? 'invalid'
          : 'internal';
  throw appError(kind, result.message);
}
