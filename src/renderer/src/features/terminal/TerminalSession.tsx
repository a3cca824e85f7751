import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { useBridge } from '../../app-context.js';
import { errorMessage } from '../../lib/errors.js';

function themeFromCss(): { background: string; foreground: string; cursor: string; selectionBackground: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    background: v('--surface'),
    foreground: v('--text'),
    cursor: v('--accent'),
    selectionBackground: v('--selected'),
  };
}

/** One pty session: opened on mount, closed on unmount; output arrives batched through 'terminalData' events. */
export function TerminalSession({ server, onRestart }: { server: string; onRestart(): void }) {
  const bridge = useBridge();
  const hostRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [exitCode, setExitCode] = useState<number | null | undefined>(undefined);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      fontFamily: getComputedStyle(document.body).getPropertyValue('--mono') || 'monospace',
      fontSize: 13,
      theme: themeFromCss(),
      cursorBlink: true,
      scrollback: 5000,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    fit.fit();
    let id: string | null = null;
    let closed = false;
    // Output can arrive before terminalOpen resolves: hold it until the id is known.
    const early: Array<{ id: string; data: string }> = [];
    const offData = bridge.on('terminalData', (chunk) => {
      if (id === null) early.push(chunk);
      else if (chunk.id === id) term.write(chunk.data);
    });
    const offExit = bridge.on('terminalExit', (event) => {
      if (event.id !== id) return;
      term.write(`\r\n\x1b[2m[exited${event.code === null ? '' : ` with code ${event.code}`}]\x1b[0m\r\n`);
      setExitCode(event.code);
    });
    const input = term.onData((data) => {
      if (id !== null) bridge.terminalWrite(id, data).catch((err: unknown) => setError(errorMessage(err)));
    });
    const resize = new ResizeObserver(() => {
      fit.fit();
      if (id !== null) void bridge.terminalResize(id, term.cols, term.rows).catch(() => undefined);
    });
    resize.observe(host);
    bridge.terminalOpen(server, term.cols, term.rows).then(
      (opened) => {
        if (closed) return void bridge.terminalClose(opened.id).catch(() => undefined);
        id = opened.id;
        for (const chunk of early.splice(0)) if (chunk.id === id) term.write(chunk.data);
        term.focus();
      },
      (err: unknown) => setError(errorMessage(err)),
    );
    return () => {
      closed = true;
      offData();
      offExit();
      input.dispose();
      resize.disconnect();
      if (id !== null) void bridge.terminalClose(id).catch(() => undefined);
      term.dispose();
    };
  }, [bridge, server]);

  return (
    <div className="tab-fill stack">
      {error && (
        <div className="error-box" role="alert">
          Could not open a terminal: {error}
        </div>
      )}
      {exitCode !== undefined && (
        <div className="row">
          <span className="muted">The shell has exited.</span>
          <button type="button" className="small" onClick={onRestart}>
            Open a new terminal
          </button>
        </div>
      )}
      <div ref={hostRef} className="terminal-host" data-testid="terminal" />
    </div>
  );
}
