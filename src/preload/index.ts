// Runs sandboxed (no Node modules, no ESM), so it is bundled to CommonJS and only uses `electron` and `process`.
import { contextBridge } from 'electron';
import type { SwitchboardWindowApi } from '../shared/index.js';

const api = {
  versions: {
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
  },
} satisfies SwitchboardWindowApi;

contextBridge.exposeInMainWorld('switchboard', api);
