// Runs sandboxed (no Node modules, no ESM), so it is bundled to CommonJS and only uses `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import type { AppBridge } from '../shared/app-api.js';
import { createPreloadApi } from './api.js';

// Exactly the AppBridge: one function per AppApi method and `on`. Nothing of ipcRenderer itself is exposed.
contextBridge.exposeInMainWorld('switchboard', createPreloadApi(ipcRenderer) satisfies AppBridge);
