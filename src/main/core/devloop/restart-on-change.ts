import type { Engine } from '../engine.js';
import type { Logger } from '../util/logger.js';
import { ChangeWatcher, defaultWatchPath } from './change-watcher.js';

export interface RestartOnChangeState {
  enabled: boolean;
  /** What is watched (the folder of the server's first file argument, else its working directory). */
  paths: string[];
}

/**
 * The dashboard's per-server "restart on change": `switchboard dev` for a server in the registry. Kept in memory
 * for the life of the host (a switch for an editing session, not a setting); an edited or removed server's watch ends.
 */
export class RestartOnChange {
  private readonly watches = new Map<string, { watcher: ChangeWatcher; paths: string[]; busy: boolean }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly engine: Pick<Engine, 'require' | 'restartServer' | 'serversChanged'>,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = engine.serversChanged.on(({ removed, updated }) => {
      for (const name of [...removed, ...updated]) this.set(name, false);
    });
  }

  get(server: string): RestartOnChangeState {
    const watch = this.watches.get(server);
    return { enabled: watch !== undefined, paths: watch?.paths ?? [] };
  }

  set(server: string, enabled: boolean): RestartOnChangeState {
    const current = this.watches.get(server);
    if (!enabled) {
      current?.watcher.close();
      this.watches.delete(server);
      return this.get(server);
    }
    if (current) return this.get(server);
    const { definition } = this.engine.require(server);
    const paths = [defaultWatchPath([definition.command, ...definition.args], definition.cwd ?? process.cwd())];
    const entry = { paths, busy: false, watcher: null as unknown as ChangeWatcher };
    entry.watcher = new ChangeWatcher({
      paths,
      unref: true,
      onChange: (files) => {
        if (entry.busy) return; // a restart under way picks up these files too
        entry.busy = true;
        this.logger.info(`files changed (${files.slice(0, 3).join(', ')}): restarting "${server}"`, { server });
        this.engine
          .restartServer(server)
          .catch((err: Error) => this.logger.warn(`restart after a change failed: ${err.message}`, { server }))
          .finally(() => (entry.busy = false));
      },
      onError: (err) => this.logger.warn(`watching files failed: ${err.message}`, { server }),
    });
    this.watches.set(server, entry);
    return this.get(server);
  }

  dispose(): void {
    this.unsubscribe();
    for (const name of [...this.watches.keys()]) this.set(name, false);
  }
}
