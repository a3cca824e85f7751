import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** Builds the dashboard the host serves from out/renderer, unless SKIP_BUILD=1 says it is current. */
export default function globalSetup(): void {
  if (process.env.SKIP_BUILD === '1' && existsSync(join(repoRoot, 'out', 'renderer', 'index.html'))) return;
  execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}
