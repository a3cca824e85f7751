import type { ClientKind } from './client-formats.js';

/** Whether a client's config file already reaches Switchboard. `outdated`: an entry, but not the one we'd write. */
export type ClientSetupState = 'connected' | 'outdated' | 'not-connected' | 'unreadable';

/** One client config location found on this machine, and how it stands with Switchboard. */
export interface ClientSetupStatus {
  client: ClientKind;
  scope: 'user' | 'workspace';
  path: string;
  /** false: the client is installed (its folder exists) but has no MCP config yet; setup creates the file. */
  exists: boolean;
  state: ClientSetupState;
  /** Why the file could not be read, when `unreadable`. */
  problem?: string;
  /** The client's own stdio servers, by the names it gives them: what "move into Switchboard" can take. */
  ownServers: string[];
  /** The last setup's backup, while Undo is possible. */
  backup: { path: string; createdAt: number; imported: string[] } | null;
}

export interface ClientSetupRequest {
  /** One of the paths listClientSetups returned (nothing else is ever written). */
  path: string;
  /** Entries of the client (its names) to import into Switchboard and remove from the client. */
  moveServers?: string[];
}

export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
}

/** What the page sees of a planned edit: the diff, with credentials masked (the page never gets the raw file). */
export interface ClientSetupPreview {
  path: string;
  diff: DiffLine[];
  /** The key the Switchboard entry is written under. */
  entryName: string;
  /** Of `moveServers`, the entries that can move (stdio, nothing missing); the others stay in the client. */
  moved: string[];
  notMoved: Array<{ name: string; reason: string }>;
}
