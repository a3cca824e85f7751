/** One page of rows, newest first; pass `nextCursor` as `before` to get the next (older) page. */
export interface Page<T> {
  rows: T[];
  nextCursor: number | null;
}

export const DEFAULT_PAGE_ROWS = 200;
export const MAX_PAGE_ROWS = 5000;

/** Collects WHERE terms and their parameters in step, so a filter cannot get out of line with its value. */
export class Where {
  private readonly terms: string[] = [];
  readonly params: unknown[] = [];

  add(term: string, ...params: unknown[]): this {
    this.terms.push(term);
    this.params.push(...params);
    return this;
  }

  /** Adds the term only when the value is set. */
  maybe(value: unknown, term: string): this {
    return value === undefined || value === null || value === '' ? this : this.add(term, value);
  }

  toString(): string {
    return this.terms.length ? `WHERE ${this.terms.join(' AND ')}` : '';
  }
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_ROWS;
  return Math.max(1, Math.min(MAX_PAGE_ROWS, Math.floor(limit)));
}

/** Rows were fetched with LIMIT limit+1: the extra row only says there is another page. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextCursor: more ? page[page.length - 1]!.id : null };
}
