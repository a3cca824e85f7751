import type { ServerState } from '../../../../shared/app-api.js';

export interface ServerAction {
  label: string;
  onSelect(): void;
  disabled?: boolean;
  danger?: boolean;
}

interface Handlers {
  start(): void;
  stop(): void;
  restart(): void;
  edit(): void;
  remove(): void;
}

/**
 * The actions that apply to a server in `state`: one primary (Start when it is not running, else Stop) and the
 * rest for a menu. A stopped or failed server offers no Restart (Start is the same thing there), and a stopping
 * one offers Stop disabled rather than Start. Pure, so the list and the detail header agree.
 */
export function serverActions(state: ServerState, on: Handlers): { primary: ServerAction; more: ServerAction[] } {
  const edit = { label: 'Edit…', onSelect: on.edit };
  const remove = { label: 'Remove…', onSelect: on.remove, danger: true };
  switch (state) {
    case 'stopped':
    case 'failed':
      return { primary: { label: 'Start', onSelect: on.start }, more: [edit, remove] };
    case 'backoff':
      // Waiting to restart after a crash: Start tries now; Stop ends the retries.
      return {
        primary: { label: 'Start now', onSelect: on.start },
        more: [{ label: 'Stop', onSelect: on.stop }, edit, remove],
      };
    case 'stopping':
      return { primary: { label: 'Stop', onSelect: on.stop, disabled: true }, more: [edit, remove] };
    case 'starting':
    case 'installing':
      return { primary: { label: 'Stop', onSelect: on.stop }, more: [edit, remove] };
    default:
      return {
        primary: { label: 'Stop', onSelect: on.stop },
        more: [{ label: 'Restart', onSelect: on.restart }, edit, remove],
      };
  }
}
