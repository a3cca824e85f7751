import { Worker } from 'node:worker_threads';
import type { ConnectionOptions } from './database.js';
import type { PruneResult, RetentionPolicy } from './retention.js';
import { packRows } from './packed-rows.js';
import type { WriteOutcome } from './row-writer.js';
import type { WriterRow } from './rows.js';
import type { BatchSink } from './sink.js';
import type { WriterReply, WriterRequest, WriterWorkerData } from './writer-protocol.js';

export interface WorkerSinkOptions {
  file: string;
  connection: ConnectionOptions;
  /** The writer-worker module. Default: beside this file. A bundler (electron-vite) passes its emitted path. */
  workerUrl?: URL;
}

/** A request the thread owes an answer to, and which thread (a dead one's answers never come). */
type Pending = { worker: Worker; resolve: (reply: WriterReply) => void };

/**
 * Starts the writer thread. Running from TypeScript sources (tsx, vitest), the thread needs the tsx loader too;
 * Node 20 ignores `--import` in a worker's execArgv, so a one-line bootstrap registers it and imports the entry.
 */
function spawnWriter(url: URL, data: WriterWorkerData): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './writer-worker.ts' : './writer-worker.js', import.meta.url);
}

/**
 * Writes batches on a worker thread with its own connection. The main thread only packs each batch into columns
 * (packed-rows.ts) and copies it into a message. If the thread dies, in-flight batches come back as `writer_down` (the batch writer retries them) and
 * the next write starts a new thread.
 */
export class WorkerSink implements BatchSink {
  readonly design = 'worker';
  private worker: Worker | null = null;
  private starting: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly options: WorkerSinkOptions) {}

  /** Resolves when the thread has its connection open; rejects with the reason when it cannot. */
  static async start(options: WorkerSinkOptions): Promise<WorkerSink> {
    const sink = new WorkerSink(options);
    await sink.ensureWorker();
    return sink;
  }

  async write(rows: WriterRow[]): Promise<WriteOutcome> {
    const reply = await this.request({ type: 'write', id: 0, rows: packRows(rows) });
    if (reply.type === 'written') return reply.outcome;
    return { ok: false, kind: 'writer_down', transient: true, message: this.downMessage(reply) };
  }

  async prune(policy: RetentionPolicy, now: number): Promise<PruneResult> {
    const reply = await this.request({ type: 'prune', id: 0, policy, now });
    if (reply.type === 'pruned') return reply.result;
    return { logs: 0, traffic: 0, chunks: 0, ms: 0, error: this.downMessage(reply) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await this.send(worker, { type: 'close', id: 0 });
    await worker.terminate();
  }

  private downMessage(reply: WriterReply): string {
    return reply.type === 'open_failed' ? reply.message : 'the writer thread stopped; retrying with a new one';
  }

  private async request(request: WriterRequest): Promise<WriterReply> {
    if (this.closed) return { type: 'open_failed', message: 'the store is closed' };
    try {
      await this.ensureWorker();
    } catch (err) {
      return { type: 'open_failed', message: (err as Error).message };
    }
    return this.send(this.worker!, request);
  }

  private send(worker: Worker, request: WriterRequest): Promise<WriterReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { worker, resolve });
      // Keep the process alive only while the thread owes us an answer.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...request, id });
    });
  }

  private settle(id: number, reply: WriterReply): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    pending.resolve(reply);
  }

  private ensureWorker(): Promise<void> {
    if (this.worker) return Promise.resolve();
    this.starting ??= new Promise<void>((resolve, reject) => {
      const worker = spawnWriter(this.options.workerUrl ?? defaultWorkerUrl(), {
        file: this.options.file,
        connection: this.options.connection,
      });
      let ready = false;
      worker.on('message', (reply: WriterReply) => {
        if (reply.type === 'ready') {
          ready = true;
          this.worker = worker;
          worker.unref();
          resolve();
        } else if (reply.type === 'open_failed') reject(new Error(reply.message));
        else this.settle(reply.id, reply);
      });
      const lost = (reason: string) => {
        if (!ready) reject(new Error(`the writer thread did not start: ${reason}`));
        if (this.worker === worker) this.worker = null;
        for (const [id, pending] of [...this.pending]) {
          if (pending.worker === worker) this.settle(id, { type: 'open_failed', message: reason });
        }
      };
      worker.on('error', (err) => lost(err.message));
      worker.on('exit', (code) => lost(`the writer thread exited (code ${code})`));
    }).finally(() => (this.starting = null));
    return this.starting;
  }
}
