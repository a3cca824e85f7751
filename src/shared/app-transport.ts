/**
 * How `AppApi` travels between a host and the page, shared by the preload, the Electron shell, the web bridge and
 * the web client so the channel names and wire shapes are written once. Pure TS: no Node, no DOM.
 */
import { AppError, type AppErrorKind, type AppEventName, type AppEvents } from './app-api.js';

/** IPC channels between the preload and the Electron main process. */
export const appChannels = {
  /** invoke(method, args) → AppReply */
  invoke: 'app:invoke',
  /** main → page: one AppEventBatch about ten times a second */
  event: 'app:event',
} as const;

/** One event as it crosses a transport. */
export type AppEventEntry = { [E in AppEventName]: { event: E; payload: AppEvents[E] } }[AppEventName];

/** Events coalesced over one flush interval, in order. */
export type AppEventBatch = AppEventEntry[];

const errorKinds: readonly AppErrorKind[] = [
  'invalid',
  'not_found',
  'conflict',
  'unavailable',
  'forbidden',
  'spawn_failed',
  'timeout',
  'server_error',
  'internal',
];

export function isAppErrorKind(value: unknown): value is AppErrorKind {
  return typeof value === 'string' && (errorKinds as readonly string[]).includes(value);
}

// Electron's contextBridge copies only the message of an Error thrown across it (custom properties are lost), so
// the preload carries the kind inside the message and the page side takes it back out.
const KIND_PREFIX = /^\[switchboard:([a-z_]+)\] ([\s\S]*)$/;

/** The Error message the preload throws for a failed call: the kind in a readable prefix, then the message. */
export function encodeAppErrorMessage(kind: AppErrorKind, message: string): string {
  return `[switchboard:${kind}] ${message}`;
}

/** Turns whatever a bridge call rejected with into an AppError with the kind it had on the other side. */
export function toAppError(error: unknown): AppError {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  // Layers in between may prefix the message ("Error: ..."), so the marker is looked for anywhere.
  const at = raw.indexOf('[switchboard:');
  const match = at === -1 ? null : KIND_PREFIX.exec(raw.slice(at));
  if (match && isAppErrorKind(match[1])) return new AppError(match[1], match[2]!);
  if (error instanceof AppError) return error;
  const kind = (error as { kind?: unknown } | null)?.kind;
  return new AppError(isAppErrorKind(kind) ? kind : 'internal', raw);
}
