import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { IPty } from 'node-pty';
import type { ServerDefinition } from '../../../shared/server-definition.js';
import { buildChildEnv } from '../supervisor/child-env.js';
import { Listeners } from '../util/listeners.js';
import { appError } from './app-error.js';

export interface TerminalEvents {
  data: { id: string; data: string };
  exit: { id: string; code: number | null };
}

const MAX_TERMINALS = 8;

/**
 * Terminals for trying a server's command by hand: a login shell in the server's cwd with exactly the environment
 * the server gets. node-pty is loaded on first use, so a host without it (or without a terminal) never pays.
 */
export class TerminalManager {
  readonly data = new Listeners<TerminalEvents['data']>();
  readonly exits = new Listeners<TerminalEvents['exit']>();
  private readonly terminals = new Map<string, IPty>();

  constructor(private readonly passEnvironment: boolean) {}

  open(def: ServerDefinition, cols: number, rows: number): { id: string } {
    if (this.terminals.size >= MAX_TERMINALS) {
      throw appError('conflict', `${MAX_TERMINALS} terminals are open; close one first`);
    }
    const pty = createRequire(import.meta.url)('node-pty') as typeof import('node-pty');
    const env = buildChildEnv({
      declared: def.env,
      passEnvironment: def.options.passEnvironment || this.passEnvironment,
    });
    const shell = process.platform === 'win32' ? 'powershell.exe' : env.SHELL || process.env.SHELL || '/bin/sh';
    const term = pty.spawn(shell, [], {
      name: 'xterm-256color',
      cols: clamp(cols, 20, 500),
      rows: clamp(rows, 5, 200),
      cwd: def.cwd ?? env.HOME ?? process.cwd(),
      env: { ...env, TERM: 'xterm-256color' },
    });
    const id = randomUUID();
    this.terminals.set(id, term);
    term.onData((data) => this.data.emit({ id, data }));
    term.onExit(({ exitCode }) => {
      this.terminals.delete(id);
      this.exits.emit({ id, code: exitCode });
    });
    return { id };
  }

  write(id: string, data: string): void {
    this.get(id).write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.get(id).resize(clamp(cols, 20, 500), clamp(rows, 5, 200));
  }

  close(id: string): void {
    const term = this.terminals.get(id);
    if (!term) return;
    this.terminals.delete(id);
    term.kill();
  }

  closeAll(): void {
    for (const id of [...this.terminals.keys()]) this.close(id);
  }

  private get(id: string): IPty {
    const term = this.terminals.get(id);
    if (!term) throw appError('not_found', 'that terminal has closed');
    return term;
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(Number(n) || min)));
}
