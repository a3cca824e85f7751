import '@xterm/xterm/css/xterm.css';
import { useState } from 'react';
import { useServers } from '../../app-context.js';
import { Loading } from '../../components/feedback.js';
import { TerminalSession } from './TerminalSession.js';

/** A shell in the server's cwd with the server's exact environment, to try its command by hand. */
export default function TerminalTab({ server }: { server: string }) {
  const appInfo = useServers((s) => s.appInfo);
  const [generation, setGeneration] = useState(0);
  if (!appInfo) return <Loading what="the host’s settings" />;
  if (!appInfo.terminalEnabled) {
    return (
      <div className="empty" data-testid="terminal-disabled">
        <h2>The terminal is off in this host</h2>
        <div className="muted">
          A terminal in the browser can run any command as you, so the headless host keeps it off unless you ask for it.
          Start Switchboard with
        </div>
        <pre className="snippet">switchboard serve --enable-terminal</pre>
        <div className="muted small">
          The desktop app always has it. Until then, run the server’s command in your own terminal.
        </div>
      </div>
    );
  }
  return (
    <TerminalSession key={`${server}:${generation}`} server={server} onRestart={() => setGeneration((g) => g + 1)} />
  );
}
