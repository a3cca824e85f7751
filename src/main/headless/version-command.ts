import { packageRoot } from './package-root.js';

/** `switchboard version` (and `--version`): package.json's version, read without loading the engine. */
export async function main(): Promise<number> {
  process.stdout.write(`${packageRoot().version}\n`);
  return 0;
}
