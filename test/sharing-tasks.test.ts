// Issue 10, tasks: a task belongs to the session that created it, per server and through the aggregate, where
// tasks/* go to the server running the task and the `tasks` capability is merged.
import { CreateTaskResultSchema, GetTaskResultSchema, ListTasksResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingServer, fixture, startTestEngine, type TestEngine } from './helpers/engine.js';
import { connectPath } from './helpers/gateway-extras.js';

let gw: TestEngine;
beforeAll(async () => {
  gw = await startTestEngine([
    {
      name: 'everything',
      command: process.execPath,
      args: [everythingServer, 'stdio'],
      env: {},
      options: { sharing: 'shared' },
    },
    fixture('fx', [], { options: { sharing: 'shared' } }),
  ]);
});
afterAll(() => gw?.stop());

describe.each([
  ['per server', '/servers/everything/mcp'],
  ['through the aggregate', '/mcp'],
])('tasks %s', (_where, path) => {
  it('runs a task-required tool as a task that only its creator can see', async () => {
    const owner = await connectPath(gw.url, path, 'streamable', { name: 'owner' });
    const other = await connectPath(gw.url, path, 'streamable', { name: 'other' });
    expect(owner.getServerCapabilities()?.tasks).toBeDefined();
    const created = await owner.request(
      {
        method: 'tools/call',
        params: { name: 'simulate-research-query', arguments: { topic: 'gateways' }, task: { ttl: 60_000 } },
      },
      CreateTaskResultSchema,
    );
    const { taskId } = created.task;
    const got = await owner.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);
    expect(got.taskId).toBe(taskId);
    await expect(other.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema)).rejects.toThrow(
      /Unknown task/,
    );
    const mine = await owner.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(mine.tasks.map((t) => t.taskId)).toContain(taskId);
    const theirs = await other.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(theirs.tasks.map((t) => t.taskId)).not.toContain(taskId);
    await owner.request({ method: 'tasks/cancel', params: { taskId } }, GetTaskResultSchema).catch(() => undefined);
    await Promise.all([owner.close(), other.close()]);
  });
});
