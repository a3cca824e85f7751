import { useEffect, useState } from 'react';
import type { CommandCheck } from '../../../../shared/app-api.js';
import { useBridge } from '../../app-context.js';
import { errorMessage } from '../../lib/errors.js';
import { looksLikeCommandLine, parseCommandLine, throughShell } from './command-line.js';

export type CheckState = { status: 'idle' } | { status: 'checking' } | { status: 'done'; check: CommandCheck };

/**
 * Asks the host, a moment after the user stops typing, whether `command` would be found when the server starts
 * (the spawn's own lookup, with the server's env); the answer of an older keystroke never replaces a newer one.
 */
export function useCommandCheck(command: string, env: Record<string, string>, cwd: string, delayMs = 350): CheckState {
  const bridge = useBridge();
  const [state, setState] = useState<CheckState>({ status: 'idle' });
  const envKey = JSON.stringify(env);
  useEffect(() => {
    const trimmed = command.trim();
    if (!trimmed || looksLikeCommandLine(trimmed)) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState({ status: 'checking' });
    const timer = setTimeout(() => {
      bridge.checkCommand(trimmed, env, cwd.trim() || undefined).then(
        (check) => current && setState({ status: 'done', check }),
        (err: unknown) =>
          current && setState({ status: 'done', check: { found: false, message: errorMessage(err), candidates: [] } }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `env` is compared by value through envKey.
  }, [bridge, command, envKey, cwd, delayMs]);
  return state;
}

/** The Command field's hint: where the command was found, or why it will not start and what to do. */
export function CommandFound({ state }: { state: CheckState }) {
  if (state.status === 'checking') return <span className="muted small">Looking for it…</span>;
  if (state.status !== 'done') return null;
  const { check } = state;
  if (check.found) {
    return (
      <span className="ok-text small" data-testid="command-found">
        Found: <span className="mono">{check.path}</span>
      </span>
    );
  }
  return (
    <span className="field-error" data-testid="command-missing">
      {check.message}
    </span>
  );
}

interface CommandLineAssistProps {
  command: string;
  platform: string;
  /** Replaces the command and puts `args` before the arguments already listed. */
  apply(command: string, args: string[], replaceArgs?: boolean): void;
}

/**
 * When the Command field holds a whole command line: offer to split it (quotes honoured), or, when it needs a
 * shell (`&&`, `|`, `>` …), say that Switchboard runs none and offer an explicit shell only if the user asks.
 */
export function CommandLineAssist({ command, platform, apply }: CommandLineAssistProps) {
  if (!looksLikeCommandLine(command)) return null;
  const line = command.trim();
  const parsed = parseCommandLine(line);
  if (!parsed.ok) {
    return (
      <div className="warn-box small" role="status">
        This looks like a command line, but {parsed.message}.
      </div>
    );
  }
  if (parsed.shellSyntax.length > 0) {
    const shell = throughShell(line, platform);
    return (
      <div className="warn-box small stack" role="status" data-testid="shell-syntax" style={{ gap: '0.4rem' }}>
        <span>
          Switchboard runs no shell, so <span className="mono">{parsed.shellSyntax.join(' ')}</span> would reach the
          program as plain arguments instead of chaining, piping or redirecting. Put the steps in a script, or run this
          line through a shell if you trust it.
        </span>
        <div>
          <button type="button" className="small" onClick={() => apply(shell.command, shell.args, true)}>
            Run through a shell ({shell.command})
          </button>
        </div>
      </div>
    );
  }
  const [first, ...rest] = parsed.words;
  return (
    <div className="row wrap small" role="status" data-testid="split-command">
      <span className="muted">
        A whole command line: <span className="mono">{first}</span> with {rest.length}{' '}
        {rest.length === 1 ? 'argument' : 'arguments'}. It is split when you save.
      </span>
      <button type="button" className="small" onClick={() => apply(first ?? '', rest)}>
        Split now
      </button>
    </div>
  );
}
