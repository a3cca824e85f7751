import { packageRunnerOf } from './package-runner.js';

/**
 * When a start may run past the handshake timeout because it is installing, and how that is said. Killing an
 * install half-way only makes the next start install again (`npm error signal SIGTERM`, restart, repeat), so such
 * a start gets the install allowance instead, shown as the `installing` state.
 */

export const DEFAULT_INSTALL_TIMEOUT_MS = 5 * 60_000;

/** "300 ms", "10 s", "5 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${Math.round(ms / 1000)} s`;
  return `${ms / 60_000} min`;
}

export interface StartFacts {
  /** A handshake of this server has succeeded before (in this run). */
  everRan: boolean;
  /** This is the server's first start (in this run). */
  firstStart: boolean;
  /** stderr lines the current process has written. */
  stderrLines: number;
}

/**
 * Why a start that has not answered within the handshake timeout may still be installing, or null when it is
 * simply not answering: a package runner that has not run yet, or a first start that is busy printing progress
 * (`uv run` syncing, `docker run` pulling). A silent first start is a hang, and fails at the usual timeout.
 */
export function installReason(command: string, args: readonly string[], facts: StartFacts): string | null {
  const runner = packageRunnerOf(command, args);
  if (runner && !facts.everRan) return `\`${runner}\` fetches the package on its first run`;
  if (facts.firstStart && facts.stderrLines > 0) return 'the first start is still printing progress';
  return null;
}

/** The `installing` state's reason: why, how long it may take, and the latest progress line. */
export function installingMessage(why: string, timeoutMs: number, lastLine?: string): string {
  const waiting = `installing: ${why}; waiting up to ${duration(timeoutMs)} for it to answer initialize`;
  return lastLine ? `${waiting} — ${lastLine}` : waiting;
}
