/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time, and self time per file.
 * Used by `npm run bench -- --cpu-prof`; also runs alone: node --import tsx bench/cpuprofile-summary.ts FILE [N]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

// Line numbers of .ts files are those of tsx's output, not of the source: they are left out.
const META = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  return file.startsWith(root) ? path.relative(root, file) : file;
}

export interface SummaryOptions {
  top?: number;
  /** Paths under this directory are shown relative to it. */
  root?: string;
  /** Only samples inside these [from, to] windows (µs, monotonic clock, as V8 time-stamps samples). */
  windows?: Array<[number, number]>;
}

export function summarizeProfile(file: string, options: SummaryOptions = {}): string {
  const { top = 20, root = process.cwd(), windows } = options;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const inWindow = (t: number) => !windows || windows.some(([a, b]) => t >= a && t <= b);
  // timeDeltas[i] is the time before sample i; the time after it is what that sample stands for.
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (!inWindow(t)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + Math.max(0, dt));
  }
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const where = shortUrl(url, root);
    const key = META.has(functionName)
      ? functionName
      : `${functionName || '(anonymous)'}  ${where}${where && !where.endsWith('.ts') ? `:${lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const fileKey = META.has(functionName) ? functionName : where || '(native/builtin)';
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) => `  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`,
      )
      .join('\n');
  return [
    `${path.basename(file)}: ${(busy / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`,
    `Top ${top} functions by self time (% of busy time):`,
    rows(fns, top),
    `Self time by file:`,
    rows(files, 12),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/cpuprofile-summary.ts FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(summarizeProfile(file, { top: Number(n ?? 20) }) + '\n');
}
