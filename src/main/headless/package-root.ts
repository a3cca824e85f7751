import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface PackageRoot {
  /** The directory holding package.json, resources/ and out/ (the checkout, or /app in the image). */
  dir: string;
  version: string;
}

let found: PackageRoot | undefined;

/**
 * Finds this package by walking up from this module: src/main/headless/ when run from source, out/cli/ when
 * built (where every module sits in one directory). Paths like resources/ and out/renderer are resolved from
 * here rather than relative to each module, whose depth differs between the two.
 */
export function packageRoot(from: URL = new URL('.', import.meta.url)): PackageRoot {
  if (found) return found;
  for (let dir = from, i = 0; i < 6; i++, dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mcp-switchboard') return (found = { dir: fileURLToPath(dir), version: pkg.version ?? '' });
    } catch {
      // Not here (or unreadable): keep walking up.
    }
  }
  throw new Error(`cannot find the mcp-switchboard package.json above ${fileURLToPath(from)}`);
}
