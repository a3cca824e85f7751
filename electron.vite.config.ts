import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * Writes `name.br` and `name.gz` beside every text asset the renderer build emits, so the web bridge
 * (headless/web-bridge/static-files.ts) sends compressed bytes without compressing on each request. Files under
 * 1 kB are left alone: headers would eat the saving.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'switchboard-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => /\.(js|mjs|css|html|svg|json)$/.test(f));
      await Promise.all(
        files.map(async (file) => {
          const path = join(outDir, file);
          const body = await readFile(path);
          if (body.length < 1024) return;
          const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length };
          await writeFile(`${path}.br`, await brotli(body, { params }));
          await writeFile(`${path}.gz`, await gz(body, { level: 9 }));
        }),
      );
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // Dependencies stay in node_modules and load at run time; native ones (SQLite) cannot be bundled anyway.
      externalizeDeps: true,
      lib: {
        entry: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // The store's writer thread loads this file by path, beside index.js (see store/worker-sink.ts).
          'writer-worker': resolve(import.meta.dirname, 'src/main/core/store/writer-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      lib: { entry: resolve(import.meta.dirname, 'src/preload/index.ts') },
      // A sandboxed preload cannot be an ES module, so it is emitted as CommonJS (out/preload/index.cjs).
      rolldownOptions: { output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [precompress()],
    build: {
      // electron-vite leaves output unminified; the dashboard is also served over HTTP, where size is load time.
      minify: true,
      cssMinify: true,
      rolldownOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
