// Installs and the circuit breaker (issue 11, item 4), with real children: test/fixtures/slow-start.mjs stays
// silent or prints npm-like progress until the test creates its gate file, then serves MCP. Timeouts are small
// settings; nothing here measures wall-clock time: tests wait on states and compare counts.
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionRouter } from '../router/session-router.js';
import { createLogger } from '../util/logger.js';
import { ServerSupervisor, type StateChange, type SupervisorOptions } from './server-supervisor.js';

const slowStart = fileURLToPath(new URL('../../../../test/fixtures/slow-start.mjs', import.meta.url));
const fixtureServer = fileURLToPath(new URL('../../../../test/fixtures/fixture-server.mjs', import.meta.url));

let dir: string;
let gate: string;
let supervisors: ServerSupervisor[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-install-'));
  gate = join(dir, 'gate');
});
afterEach(async () => {
  await Promise.all(supervisors.map((s) => s.stop()));
  supervisors = [];
  rmSync(dir, { recursive: true, force: true });
});

/** An executable named `npx` (found by its name, as a package runner) that runs the slow-start fixture. */
function fakeNpx(): string {
  const file = join(dir, 'npx');
  writeFileSync(file, `#!${process.execPath}\nimport(${JSON.stringify(slowStart)});\n`, { mode: 0o755 });
  return file;
}

function supervise(command: string, args: string[], options: Partial<SupervisorOptions> = {}) {
  const logger = createLogger('silent', () => {});
  const supervisor = new ServerSupervisor({
    name: 'install',
    spec: { command, args, env: {} },
    handshakeTimeoutMs: 150,
    installTimeoutMs: 60_000,
    restart: { initialDelayMs: 10, maxDelayMs: 20 },
    logger,
    ...options,
  });
  const router = new SessionRouter('install', supervisor, logger);
  const states: StateChange[] = [];
  supervisor.stateChanges.on((c) => states.push(c));
  supervisors.push(supervisor);
  return { supervisor, router, states };
}

/** Resolves with the first state change (from now on) that matches. */
function stateWhere(supervisor: ServerSupervisor, match: (c: StateChange) => boolean): Promise<StateChange> {
  return new Promise((resolve) => {
    const off = supervisor.stateChanges.on((c) => {
      if (!match(c)) return;
      off();
      resolve(c);
    });
  });
}

const names = (states: StateChange[]) => states.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);

describe('installs (issue 11, item 4)', () => {
  it("shows a package runner's first start as installing, with its stderr, and waits for it instead of killing it", async () => {
    const { supervisor, router, states } = supervise(fakeNpx(), ['-y', '--gate', gate, '--progress']);
    const started = supervisor.start();
    const installing = await stateWhere(supervisor, (c) => c.state === 'installing');
    expect(installing.reason).toMatch(/^installing: `npx` fetches the package on its first run; waiting up to 60 s/);
    // Progress keeps arriving and is shown live, in the state's reason and tail.
    const progress = await stateWhere(supervisor, (c) => c.state === 'installing' && /npm http fetch/.test(c.reason));
    expect(progress.stderrTail!.at(-1)).toMatch(/^npm http fetch GET 200/);
    expect(progress.stderrTail).toContain('npm warn exec The following package was not found and will be installed');
    writeFileSync(gate, '');
    await started;
    expect(supervisor.state.state).toBe('running');
    expect(names(states)).toEqual(['starting', 'installing', 'running']); // one process, never killed mid-install
    expect(router.serverInitialize?.serverInfo.name).toBe('fixture');
  });

  it('gives a later start of the same runner the usual handshake timeout', async () => {
    const { supervisor, states } = supervise(fakeNpx(), ['-y', '--gate', gate], { restart: { enabled: false } });
    writeFileSync(gate, '');
    await supervisor.start();
    await supervisor.stop();
    unlinkSync(gate); // the next process never answers
    states.length = 0;
    await expect(supervisor.start()).rejects.toThrow(/no answer to initialize within 150 ms; restart is off/);
    expect(names(states)).toEqual(['starting', 'failed']);
  });

  it("gives any server's first start the allowance while it prints progress", async () => {
    // The child must boot and print its first line within the handshake timeout: a generous one here.
    const { supervisor, states } = supervise(process.execPath, [slowStart, '--gate', gate, '--progress'], {
      handshakeTimeoutMs: 3000,
      restart: { enabled: false },
    });
    const started = supervisor.start();
    const installing = await stateWhere(supervisor, (c) => c.state === 'installing');
    expect(installing.reason).toMatch(/^installing: the first start is still printing progress/);
    writeFileSync(gate, '');
    await started;
    expect(names(states)).toEqual(['starting', 'installing', 'running']);
  });

  it('fails a silent first start at the usual handshake timeout (C2): a hang is not an install', async () => {
    const { supervisor, states } = supervise(process.execPath, [slowStart, '--gate', gate], {
      restart: { enabled: false },
    });
    await expect(supervisor.start()).rejects.toThrow(/no answer to initialize within 150 ms/);
    expect(names(states)).toEqual(['starting', 'failed']);
  });

  it('counts installs that outlast the allowance toward the breaker, however far apart they fail', async () => {
    // Each attempt lasts longer than the failure window, as 10 s handshakes do against a 60 s window in
    // production: only the count of failed starts in a row can open the breaker.
    const { supervisor, states } = supervise(fakeNpx(), ['-y', '--gate', gate, '--progress'], {
      handshakeTimeoutMs: 50,
      installTimeoutMs: 200,
      restart: { initialDelayMs: 10, maxDelayMs: 10, failureWindowMs: 1, maxFailedStarts: 3 },
    });
    await expect(supervisor.start()).rejects.toThrow(/3 starts in a row failed/);
    expect(supervisor.state.reason).toMatch(/no answer to initialize within 200 ms \(installing: `npx` fetches/);
    // The last lines the installer printed (how many fit in the allowance depends on the machine's speed).
    expect(supervisor.state.stderrTail).toEqual(expect.arrayContaining([expect.stringMatching(/^npm /)]));
    expect(states.filter((c) => c.state === 'starting')).toHaveLength(3);
    expect(names(states).filter((s) => s === 'installing')).toHaveLength(3);
    expect(supervisor.pid).toBeNull();
  });

  it('opens the breaker on a server that never answers, even when its failures are spread beyond the window', async () => {
    const { supervisor, states } = supervise(process.execPath, [fixtureServer, '--hang-initialize'], {
      restart: { initialDelayMs: 10, maxDelayMs: 10, failureWindowMs: 1 },
    });
    await expect(supervisor.start()).rejects.toThrow(/5 starts in a row failed, not restarting until started again/);
    expect(states.filter((c) => c.state === 'starting')).toHaveLength(5);
    expect(states.filter((c) => c.state === 'backoff')).toHaveLength(4);
  });
});
