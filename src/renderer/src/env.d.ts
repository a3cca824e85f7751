import type { SwitchboardWindowApi } from '../../shared/index.js';

declare global {
  interface Window {
    /** Present under Electron (set by the preload); absent when the page is served by the headless host. */
    readonly switchboard?: SwitchboardWindowApi;
  }
}
