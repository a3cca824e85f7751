import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Folders whose changes never mean "the server's source changed": dependencies, VCS data, build outputs. */
const IGNORED = new Set(['node_modules', '.git', 'dist', 'build', 'out']);

export interface ChangeWatcherOptions {
  paths: string[];
  /** Quiet time after the last change before `onChange` fires: an editor's save is often several writes. */
  debounceMs?: number;
  /** The changed files (relative to their watched path) of one burst. */
  onChange(files: string[]): void;
  onError?(err: Error): void;
  /** Let the process exit while watching (a host's optional watch must not keep it alive). */
  unref?: boolean;
}

/**
 * Watches files and folders (recursively: node:fs.watch does this natively on Linux since Node 20, and on macOS
 * and Windows) and reports bursts of changes once they settle. Changes under node_modules, .git and build
 * outputs below a watched folder are ignored; a folder named on purpose is watched even if it is called `dist`.
 */
export class ChangeWatcher {
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private changed = new Set<string>();
  private closed = false;

  constructor(private readonly options: ChangeWatcherOptions) {
    for (const path of options.paths) {
      const isDir = statSync(path).isDirectory();
      const watcher = watch(path, { recursive: isDir }, (_event, file) => {
        const name = file === null ? path : String(file);
        if (isDir && name.split(/[\\/]/).some((segment) => IGNORED.has(segment))) return;
        this.changed.add(name);
        this.schedule();
      });
      watcher.on('error', (err) => options.onError?.(err));
      if (options.unref) watcher.unref();
      this.watchers.push(watcher);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.closed) return;
      const files = [...this.changed].sort();
      this.changed = new Set();
      this.options.onChange(files);
    }, this.options.debounceMs ?? 300);
    if (this.options.unref) this.timer.unref();
  }
}

/**
 * What `dev` watches by default: the folder of the first argument that is an existing file (`node
 * src/server.js` → `src/`), else the working directory. The command itself counts only as a relative path
 * (`./server.py`): an absolute one is usually an interpreter (`/usr/bin/node`), never the server's source.
 */
export function defaultWatchPath(commandLine: string[], cwd: string): string {
  const [command, ...args] = commandLine;
  const candidates = command?.startsWith('.') ? [...args, command] : args;
  for (const arg of candidates) {
    if (arg.startsWith('-')) continue;
    const path = resolve(cwd, arg);
    if (existsSync(path) && statSync(path).isFile()) return dirname(path);
  }
  return cwd;
}
