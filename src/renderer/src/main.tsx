import { getBridge } from './api/bridge.js';
import { boot } from './boot.js';

boot(getBridge());
