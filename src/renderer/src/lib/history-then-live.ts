/**
 * Reads recent history, then live items. Live items that arrive while the history query runs are held and
 * de-duplicated against it, so nothing shows twice and nothing is lost. Returns the unsubscribe.
 */
export function historyThenLive<T>(options: {
  subscribe(onItems: (items: T[]) => void): () => void;
  history(): Promise<T[]>;
  ingest(items: T[]): void;
  onHistoryError(err: unknown): void;
  compare(a: T, b: T): number;
  key(item: T): string | number;
}): () => void {
  let held: T[] | null = [];
  const off = options.subscribe((items) => {
    if (held) held.push(...items);
    else options.ingest(items);
  });
  options
    .history()
    .then(
      (history) => {
        const sorted = [...history].sort(options.compare);
        const seen = new Set(sorted.map(options.key));
        options.ingest([...sorted, ...(held ?? []).filter((item) => !seen.has(options.key(item)))]);
      },
      (err: unknown) => {
        options.onHistoryError(err);
        options.ingest(held ?? []);
      },
    )
    .finally(() => {
      held = null;
    });
  return off;
}
