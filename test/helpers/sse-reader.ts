import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** A raw SSE response read as it arrives: events, comments (keepalives), and a way to drop the connection. */
export interface SseReader {
  status: number;
  headers: IncomingHttpHeaders;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ended the response. */
  ended: Promise<void>;
  /** Waits until `check` holds; fails after `ms` with what arrived so far. */
  until(check: (r: SseReader) => boolean, ms?: number): Promise<void>;
  /** Drops the connection abruptly, as a network failure would. */
  drop(): void;
}

/** Sends a request whose answer is read as SSE (a GET stream, or a POST answered as a stream). */
export function readSse(
  url: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const sent = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
    const req: ClientRequest = httpRequest(url, { method, headers: sent }, (res) => {
      let buffer = '';
      const waiters = new Set<() => void>();
      let endedResolve!: () => void;
      const reader: SseReader = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: [],
        ended: new Promise<void>((r) => (endedResolve = r)),
        until(check, ms = 5000) {
          return new Promise((ok, fail) => {
            const test = () => {
              if (!check(reader)) return;
              clearTimeout(timer);
              waiters.delete(test);
              ok();
            };
            const timer = setTimeout(() => {
              waiters.delete(test);
              fail(new Error(`timed out; events: ${JSON.stringify(reader.events).slice(0, 2000)}`));
            }, ms);
            waiters.add(test);
            test();
          });
        },
        drop: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          let isComment = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) {
              reader.comments.push(line.slice(1).trim());
              isComment = true;
            } else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
          }
          if (!isComment || event.data) reader.events.push(event);
        }
        for (const w of [...waiters]) w();
      });
      res.on('end', endedResolve);
      res.on('close', endedResolve);
      resolve(reader);
    });
    req.on('error', (err) => {
      if (!req.destroyed || (err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end(body);
  });
}

/** A JSON-RPC message as the tests read it: progress, log notes and tool results. */
export interface SseMessage {
  id?: unknown;
  method?: string;
  params?: { progress?: number; data?: unknown; [key: string]: unknown };
  result?: { content: Array<{ text: string }> };
}

/** The JSON-RPC messages among the events. */
export function messages(reader: SseReader): SseMessage[] {
  return reader.events.filter((e) => e.event === 'message' && e.data).map((e) => JSON.parse(e.data) as SseMessage);
}
