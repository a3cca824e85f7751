import { afterEach, describe, expect, it } from 'vitest';
import { runLint } from '../src/main/core/devloop/lint/lint-run.js';
import { editableServer } from './fixtures/devloop/editable-server.js';
import { spawnCli, stopAllClis, withDeadline } from './helpers/cli.js';

afterEach(() => stopAllClis());

/** `switchboard lint --json -- node FILE` through the real CLI: exit code and parsed report. */
async function lintCli(file: string) {
  const run = spawnCli(['lint', '--json', '--', process.execPath, file]);
  const exit = await withDeadline(run.exited, 60_000, 'switchboard lint to finish');
  return { code: exit.code, report: JSON.parse(run.stdout) as Awaited<ReturnType<typeof runLint>> };
}

// Each test starts the CLI (tsx compiles it): slow on a loaded machine, so generous limits.
describe('switchboard lint', { timeout: 180_000 }, () => {
  it('passes a clean server after every list page, a ping and its read-only tools, and exits 0', async () => {
    const server = editableServer();
    const { code, report } = await lintCli(server.file);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(report.steps).toContain('tools/list: 3 in 2 pages');
    expect(report.steps).toContain('ping: ok');
    // greet and add say readOnlyHint; write does not, so it is never called.
    expect(report.steps.filter((s) => s.startsWith('tools/call'))).toEqual([
      'tools/call greet {"name":"example"}: ok',
      'tools/call add {}: ok',
    ]);
  });

  it('finds stdout noise, stray ids, notifications with ids and undeclared capabilities, and exits 1', async () => {
    const server = editableServer();
    for (const fault of ['noise', 'unknown-id', 'notification-id', 'undeclared']) server.fault(fault);
    const { code, report } = await lintCli(server.file);
    expect(code).toBe(1);
    const rules = report.findings.map((f) => `${f.rule} ${f.frame}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'unknown-response-id {"jsonrpc":"2.0","id":"nobody-asked","result":{}}',
        expect.stringMatching(/^notification-with-id .*"id":77/),
        expect.stringMatching(/^undeclared-capability .*notifications\/message/),
        'non-json-stdout debug: calling greet',
        'non-json-stdout debug: calling add',
      ]),
    );
    expect(report.findings).toHaveLength(5);
  });

  it('reports a result of the wrong shape and a tool input schema that is not JSON Schema', async () => {
    const server = editableServer();
    server.addTool({ name: 'broken', inputSchema: { type: 'object', properties: { x: { type: 'strang' } } } });
    let report = await runLint([process.execPath, server.file]);
    expect(report.findings.map((f) => [f.rule, f.message])).toEqual([
      ['invalid-tool-schema', expect.stringContaining('tool "broken": inputSchema is not a valid JSON Schema')],
    ]);
    server.fault('bad-list-shape');
    report = await runLint([process.execPath, server.file]);
    expect(report.findings[0]).toMatchObject({ rule: 'result-shape', method: 'tools/list' });
    expect(report.findings[0]!.message).toContain('tools.0.name');
  });

  it('exits 2 when the server cannot run, saying why', async () => {
    const server = editableServer();
    server.edit('let buffer', "process.stderr.write('boom: missing config\\n'); process.exit(4);\nlet buffer");
    const run = spawnCli(['lint', '--', process.execPath, server.file]);
    const exit = await withDeadline(run.exited, 60_000, 'switchboard lint to finish');
    expect(exit.code).toBe(2);
    expect(run.stderr).toContain('initialize failed');
    expect(run.stderr).toContain('boom: missing config');

    const missing = spawnCli(['lint', '--', 'no-such-command-anywhere']);
    expect((await withDeadline(missing.exited, 60_000, 'lint')).code).toBe(2);
    expect(missing.stderr).toContain('`no-such-command-anywhere` not found on PATH');
  });
});
