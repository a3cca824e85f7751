import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * docs/benchmarks.md is written by more than one benchmark: each owns a marked section, and writing one keeps the
 * others as they were.
 */
const start = (name: string) => `<!-- section:${name} -->`;
const end = (name: string) => `<!-- /section:${name} -->`;

export function readSection(file: string, name: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(start(name));
  const b = text.indexOf(end(name));
  return a >= 0 && b > a ? text.slice(a, b + end(name).length) : null;
}

/** Replaces (or appends) the named section of `file`, leaving the rest of the file alone. */
export function writeSection(file: string, name: string, body: string): void {
  const section = `${start(name)}\n${body.trim()}\n${end(name)}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const old = readSection(file, name);
  writeFileSync(file, old ? text.replace(old, section) : `${text.trimEnd()}\n\n${section}\n`);
}

/** Every marked section of `file`, in order: a benchmark that rewrites the file keeps the others' sections. */
export function readAllSections(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/<!-- section:([\w-]+) -->/g)].flatMap((m) => {
    const section = readSection(file, m[1]!);
    return section ? [section] : [];
  });
}
