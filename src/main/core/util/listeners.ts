/** A typed listener list whose `on` returns its own unsubscribe, as every listener here does. */
export class Listeners<T> {
  private readonly fns = new Set<(value: T) => void>();

  on(fn: (value: T) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }

  emit(value: T): void {
    for (const fn of this.fns) fn(value);
  }

  clear(): void {
    this.fns.clear();
  }
}
