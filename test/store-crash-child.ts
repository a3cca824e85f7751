/**
 * Child for the S1 crash test: logs `RATE` lines/s through a Store in `dataDir` until it is killed. Each line's
 * message is its sequence number. After every tick it prints "<handed> <committed>": rows handed to the writer
 * so far, and rows the writer has confirmed committed (always the oldest ones, in order). Pipes to the parent are
 * synchronous on Linux and macOS, so a printed line was out before any later SIGKILL.
 */
import { Store } from '../src/main/core/store/index.js';
import { createLogger } from '../src/main/core/util/logger.js';

const [dataDir, rateArg = '5000'] = process.argv.slice(2);
const rate = Number(rateArg);
const store = await Store.open({ dataDir: dataDir!, logger: createLogger('silent', () => {}), retention: false });
process.stdout.write('ready\n');

const start = performance.now();
let handed = 0;
setInterval(() => {
  const due = Math.floor(((performance.now() - start) * rate) / 1000);
  for (; handed < due;) {
    handed++;
    store.logs.append({ time: Date.now(), level: 'info', source: 'crash-test', message: String(handed) });
  }
  process.stdout.write(`${handed} ${store.health().written}\n`);
}, 5);
