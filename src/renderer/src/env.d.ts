import type { AppBridge } from '../../shared/app-api.js';

declare global {
  interface Window {
    /**
     * The AppApi from the Electron preload; absent when the page is served by the headless host. Use
     * `getBridge()` from `./api/bridge.js` rather than this: it works in both and rebuilds errors' kinds.
     */
    readonly switchboard?: AppBridge;
  }
}
