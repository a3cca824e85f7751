import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

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
    build: {
      rolldownOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
