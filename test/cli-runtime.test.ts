// The compiled runtime: scripts/build-cli.mjs builds a private copy of out/cli, and these tests run it as a user
// would, with a resolve hook recording every module each command loads (its worker threads included). Then
// bin/switchboard's choice between that build and the TypeScript sources, in a scratch layout of the package.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/main/core/engine.js';
import { fixtureServer } from './helpers/engine.js';
import { repoRoot, waitForRunning, withDeadline, type Exit } from './helpers/cli.js';

const tracer = join(repoRoot, 'test/fixtures/trace-imports.mjs');
// Under out/ (so package-root.ts finds package.json above it), private to this run.
const outdir = join(repoRoot, 'out', `cli-test-${process.pid}`);
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-runtime-'));
  const built = await runNode([join(repoRoot, 'scripts/build-cli.mjs'), '--quiet', '--outdir', outdir]);
  expect(built.exit, built.stderr).toEqual({ code: 0, signal: null });
}, 120_000);
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  exit: Exit;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ exit: { code, signal }, stdout, stderr }));
  });
}

/** Runs the compiled CLI with the import tracer; `whileUp` runs once /health shows every named server running. */
async function traced(args: string[], whileUp?: { servers: string[]; port: number }) {
  const trace = join(scratch, `trace-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(trace, '');
  const env = { ...process.env, TRACE_IMPORTS_FILE: trace, API_ACCESS_TOKEN: '', TRANSPORT_SSE_PORT: '' };
  const child = spawn(process.execPath, ['--import', tracer, join(outdir, 'cli.js'), ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  if (whileUp) {
    try {
      await waitForRunning(`http://127.0.0.1:${whileUp.port}`, whileUp.servers, 30_000);
    } finally {
      child.kill('SIGTERM');
    }
  }
  const exit = await withDeadline(exited, 30_000, `compiled ${args[0]} to exit`);
  const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  return { exit, stdout, stderr, loaded };
}

/**
 * Packages a trace shows were loaded, by name: those loaded from node_modules, and those bundled into a loaded
 * file of the build (zod and the SDK are; esbuild marks each bundled module with a `// node_modules/…` comment).
 */
function packagesIn(loaded: string[]): Set<string> {
  const names = new Set<string>();
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)\//g;
  for (const url of loaded) {
    if (url.includes('/node_modules/')) for (const m of url.matchAll(packageName)) names.add(m[1]!);
    else if (url.startsWith(`file://${outdir}/`)) {
      const text = readFileSync(new URL(url), 'utf8');
      for (const m of text.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) names.add(m[1]!);
    }
  }
  return names;
}

/** A port for a host these tests start (--port 0 would need the banner parsed before /health can be read). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the compiled CLI (out/cli)', () => {
  it('--help loads no package at all: no SQLite, prom-client, ws, MCP SDK, zod or tsx', async () => {
    const { exit, stdout, loaded } = await traced(['--help']);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('switchboard run [options] -- COMMAND');
    expect(loaded.some((url) => url.endsWith('/cli.js'))).toBe(true); // the tracer saw the run
    expect([...packagesIn(loaded)]).toEqual([]);
  });

  it('version prints the package version (the engine reports the same) without loading a package', async () => {
    const { exit, stdout, loaded } = await traced(['version']);
    expect(exit).toEqual({ code: 0, signal: null });
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(VERSION).toBe(pkg.version);
    expect([...packagesIn(loaded)]).toEqual([]);
  });

  it('run serves its server and never loads the store, telemetry, web bridge or tsx', async () => {
    const port = await freePort();
    const args = ['run', '--port', String(port), '--no-auth', '--name', 'fx', '--', process.execPath, fixtureServer];
    const { exit, stdout, stderr, loaded } = await traced(args, { servers: ['fx'], port });
    expect(exit, stderr).toEqual({ code: 0, signal: null });
    expect(stdout).toContain(`listening on http://127.0.0.1:${port}`);
    const packages = packagesIn(loaded);
    // The engine did load (the check can see packages, bundled or not).
    expect(packages).toContain('ws');
    expect(packages).toContain('zod');
    for (const serveOnly of ['better-sqlite3', 'prom-client', 'node-pty', 'tsx'])
      expect(packages).not.toContain(serveOnly);
    expect(loaded.filter((url) => /serve-command|writer-worker/.test(url))).toEqual([]);
  });

  it('serve runs the compiled writer thread: SQLite opened, tsx never loaded, exit 0 on SIGTERM', async () => {
    const port = await freePort();
    const config = join(scratch, 'servers.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [fixtureServer] } } }));
    const dataDir = join(scratch, 'data');
    const args = ['serve', '--port', String(port), '--no-auth', '--config', config, '--data-dir', dataDir];
    const { exit, stderr, loaded } = await traced(args, { servers: ['fx'], port });
    expect(exit, stderr).toEqual({ code: 0, signal: null });
    expect(loaded).toContain(`file://${join(outdir, 'writer-worker.js')}`);
    const packages = packagesIn(loaded);
    expect(packages).toContain('better-sqlite3');
    expect(packages).not.toContain('tsx');
    expect(loaded.filter((url) => url.includes('/src/'))).toEqual([]);
  });
});

describe('bin/switchboard picks the build, or the sources with one line saying why', () => {
  /** A copy of the package's layout: bin/, package.json, out/cli (when given); sources and packages linked. */
  function layout(withBuild: { builtAt: number } | null): string {
    const root = mkdtempSync(join(scratch, 'pkg-'));
    mkdirSync(join(root, 'bin'));
    cpSync(join(repoRoot, 'bin/switchboard'), join(root, 'bin/switchboard'));
    cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
    for (const linked of ['src', 'node_modules', 'resources']) symlinkSync(join(repoRoot, linked), join(root, linked));
    if (withBuild) {
      cpSync(outdir, join(root, 'out/cli'), { recursive: true });
      const manifest = JSON.parse(readFileSync(join(outdir, 'inputs.json'), 'utf8')) as { inputs: string[] };
      writeFileSync(join(root, 'out/cli/inputs.json'), JSON.stringify({ ...manifest, ...withBuild }));
    }
    return root;
  }
  const bin = (root: string) => join(root, 'bin/switchboard');
  const fallbackLine = /running the TypeScript sources through tsx/;

  it('a current build runs silently', async () => {
    const root = layout({ builtAt: Date.now() + 3_600_000 });
    const { exit, stdout, stderr } = await runNode([bin(root), 'version'], { SWITCHBOARD_RUNTIME: '' });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stdout).toBe(`${VERSION}\n`);
    expect(stderr).toBe('');
  });

  it('no build: the sources through tsx, and one stderr line', async () => {
    const root = layout(null);
    const { exit, stdout, stderr } = await runNode([bin(root), '--help'], { SWITCHBOARD_RUNTIME: '' });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('switchboard run [options] -- COMMAND');
    expect(stderr).toMatch(/^switchboard: no build in out\/cli; running the TypeScript sources through tsx/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('sources newer than the build: the sources, naming a changed file; SWITCHBOARD_RUNTIME=build overrides', async () => {
    const root = layout({ builtAt: 0 });
    const stale = await runNode([bin(root), 'version'], { SWITCHBOARD_RUNTIME: '' });
    expect(stale.exit).toEqual({ code: 0, signal: null });
    expect(stale.stderr).toMatch(/^switchboard: src\/\S+\.ts changed after the build in out\/cli; /);
    expect(stale.stderr).toMatch(fallbackLine);
    const forced = await runNode([bin(root), 'version'], { SWITCHBOARD_RUNTIME: 'build' });
    expect(forced.stderr).toBe('');
    expect(forced.stdout).toBe(`${VERSION}\n`);
  });
});
