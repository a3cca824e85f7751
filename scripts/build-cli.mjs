// Builds the headless CLI, the engine it runs and the store's writer thread to JavaScript in out/cli/, so
// `switchboard` starts without compiling TypeScript (bin/switchboard runs this build; tsx is for development).
//
// Code splitting keeps each lazily imported subcommand (serve and its store, telemetry and web bridge) in its own
// chunk: a bundle without splitting would hoist every chunk's package imports to the top and load them all at once.
// Packages stay external (native modules cannot be bundled; CommonJS ones load as they do in development), except
// zod and the MCP SDK: pure ES modules in hundreds of small files, which Node resolves, reads and compiles one by
// one. Bundled, `run` spends about an eighth less CPU before it answers /health, and 6 MB less memory
// (measured with bench/startup-bench.ts). Their own dependencies stay external.
//
// Usage: node scripts/build-cli.mjs [--quiet] [--outdir DIR] [--if-possible (no esbuild: warn, exit 0; `prepare`)]
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: { quiet: { type: 'boolean' }, 'if-possible': { type: 'boolean' }, outdir: { type: 'string' } },
});
// --outdir: the tests build a private copy under out/ (the package root must stay above it: see package-root.ts).
const outdir = resolve(root, options.outdir ?? 'out/cli');
const quiet = options.quiet ?? false;

let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // `npm ci --omit=dev` runs `prepare` too, without the build tools: say so and leave bin/switchboard its fallback.
  const message = 'esbuild is not installed (a production-only install?): out/cli not built';
  if (options['if-possible']) {
    console.warn(`build-cli: ${message}`);
    process.exit(0);
  }
  console.error(`build-cli: ${message}`);
  process.exit(1);
}

const started = performance.now();
// A source saved while the build runs may or may not be in it: count the build as of its start.
const builtAt = Date.now();
// Built beside the old build and swapped in at the end: a switchboard starting meanwhile (a test, a bench) sees
// one whole build or the other, never a half-written one. A fresh directory also drops chunks an older build
// named differently (their names carry content hashes).
const staging = `${outdir}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
// A failed build leaves the old one in place and no staging directory behind.
process.on('exit', () => rmSync(staging, { recursive: true, force: true }));
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'src/main/headless/cli.ts',
    // Loaded by path from worker-sink.ts, never imported: its own entry.
    'writer-worker': 'src/main/core/store/writer-worker.ts',
  },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.11',
  plugins: [externalPackagesExcept(['zod', '@modelcontextprotocol/sdk'])],
  sourcemap: 'linked',
  // Stack traces name the source files; `--enable-source-maps` maps them (bin/switchboard turns it on).
  sourcesContent: false,
  // Chunks sit beside cli.js and writer-worker.js: worker-sink.ts finds the worker as `./writer-worker.js` next to
  // whichever file it was bundled into (as it does in electron-vite's out/main/).
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});

/** An esbuild plugin: every bare import is external unless it names one of `inlined` (or a path inside it). */
function externalPackagesExcept(inlined) {
  const bundled = (path) => inlined.some((name) => path === name || path.startsWith(`${name}/`));
  return {
    name: 'external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        bundled(args.path) ? undefined : { path: args.path, external: true },
      );
    },
  };
}

// bin/switchboard compares these inputs' modification times with the build's, to notice a stale build in a
// checkout where someone edited the sources after building.
const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules'));
writeFileSync(join(staging, 'inputs.json'), JSON.stringify({ builtAt, inputs }) + '\n');
const retired = `${outdir}.old-${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, retired);
renameSync(staging, outdir);
rmSync(retired, { recursive: true, force: true });

if (!quiet) {
  const outputs = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.js'));
  const kb = outputs.reduce((sum, [, o]) => sum + o.bytes, 0) / 1024;
  const ms = Math.round(performance.now() - started);
  console.log(
    `built ${relative(root, outdir)}/: ${outputs.length} files, ${kb.toFixed(0)} kB from ${inputs.length} sources in ${ms} ms`,
  );
}
