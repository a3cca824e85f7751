import type { LooseJson } from './loose-json.js';
import { defaultStdioLimits, StdioProcess, type ExitInfo } from '../supervisor/stdio-process.js';

type Json = LooseJson;

export interface StdioClientOptions {
  /** The server's declared environment (on top of the safe allowlist, as `run` gives it). */
  env?: Record<string, string>;
  passEnvironment?: boolean;
  cwd?: string;
  /** Every line the server writes on stdout, before anything else looks at it (the linter). */
  onLine?: (line: string) => void;
  onStderr?: (line: string) => void;
  /** How long one request may wait for its answer. */
  timeoutMs?: number;
}

/**
 * A minimal MCP client over a child's stdio for the developer's tools (lint, replay): raw responses, not parsed
 * results, because those tools judge exactly what the server sent. Spawns like the supervisor does (no shell,
 * own process group, allowlisted environment) and stops with the same sequence.
 */
export class StdioClient {
  private readonly proc: StdioProcess;
  private readonly waiting = new Map<number, { resolve(msg: Json): void; reject(err: Error): void }>();
  private nextId = 1;
  private gone: ExitInfo | null = null;
  readonly exited: Promise<ExitInfo>;

  /** Throws a SpawnError (kind and a message naming the command and PATH) when the command cannot run. */
  constructor(
    commandLine: string[],
    private readonly options: StdioClientOptions = {},
  ) {
    let exit: (info: ExitInfo) => void = () => {};
    this.exited = new Promise((resolve) => (exit = resolve));
    const [command, ...args] = commandLine;
    this.proc = new StdioProcess(
      { command: command!, args, env: options.env, cwd: options.cwd, passEnvironment: options.passEnvironment },
      { ...defaultStdioLimits, stdinGraceMs: 1000, termGraceMs: 2000 },
      {
        message: (line) => this.onLine(line),
        oversized: (info) => options.onLine?.(`${info.head}…${info.tail}`),
        stderr: (line) => options.onStderr?.(line),
        exit: (info) => {
          this.gone = info;
          const why = new Error(`the server exited (${info.signal ?? `code ${info.code}`})`);
          for (const w of this.waiting.values()) w.reject(why);
          this.waiting.clear();
          exit(info);
        },
      },
    );
  }

  /** Sends a request and resolves with the server's whole response message (result or error). */
  request(method: string, params: Json = {}): Promise<Json> {
    const id = this.nextId++;
    const msg = { jsonrpc: '2.0', id, method, params };
    return new Promise<Json>((resolve, reject) => {
      if (this.gone)
        return reject(new Error(`the server has exited (${this.gone.signal ?? `code ${this.gone.code}`})`));
      const ms = this.options.timeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${method} within ${ms} ms`));
      }, ms);
      this.waiting.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.sent?.(msg);
      if (!this.proc.send(JSON.stringify(msg))) this.waiting.get(id)?.reject(new Error('the server is not reading'));
    });
  }

  notify(method: string, params?: Json): void {
    const msg = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    this.sent?.(msg);
    this.proc.send(JSON.stringify(msg));
  }

  /** Called with each message this client writes (the linter tracks request ids through it). */
  sent?: (msg: Json) => void;

  async close(): Promise<void> {
    await this.proc.stop();
  }

  private onLine(line: string): void {
    this.options.onLine?.(line);
    let msg: Json;
    try {
      msg = JSON.parse(line);
    } catch {
      return; // noise: the linter has reported it; nothing to route
    }
    if (msg === null || typeof msg !== 'object') return;
    if (typeof msg.method === 'string') {
      // A server's request gets an answer so it is not left waiting: pong, or "not supported here".
      if (msg.id === undefined || msg.method.startsWith('notifications/')) return;
      const reply =
        msg.method === 'ping'
          ? { jsonrpc: '2.0', id: msg.id, result: {} }
          : {
              jsonrpc: '2.0',
              id: msg.id,
              error: { code: -32601, message: `${msg.method} is not supported by this client` },
            };
      this.proc.send(JSON.stringify(reply));
      return;
    }
    const waiter = typeof msg.id === 'number' ? this.waiting.get(msg.id) : undefined;
    if (!waiter) return;
    this.waiting.delete(msg.id);
    waiter.resolve(msg);
  }
}
