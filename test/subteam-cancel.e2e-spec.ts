import { fleet, TestAgent } from './support/fleet';
import { api } from './support/http';
import { ok, uuid } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/** Cancel down the tree: a canceled task's sub-teams close `canceled`, deepest first, and so do a closing group's. */
describe('cancel down the tree (real server, real sockets, real SQLite file)', () => {
  const server = new TestServer();
  let call: ReturnType<typeof api>;
  let c: TestAgent, x: TestAgent, y: TestAgent, z: TestAgent;
  const group = async (g: string) => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body;

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    [c, x, y, z] = await fleet(server, ['coord', 'xavier', 'yuki', 'zoe']);
  });
  afterAll(async () => {
    for (const a of [c, x, y, z]) a?.client.close();
    await server.dispose();
  });

  /** `from` forms a sub-team for `task` naming `member`, who accepts; resolves with the open sub-team's id. */
  async function subteam(from: TestAgent, task: string, member: TestAgent): Promise<string> {
    const invited = member.client.waitFor('invite', (i) => i.from === from.id);
    const { group_id } = ok(await from.client.emit('message', {
      header: { protocol: 'ioa/1', message_id: uuid(), type: 'team_formation' }, payload: { goal: `help with ${task}`, parent_task_id: task, team_members: [member.id] },
    }));
    ok(await member.client.emit('invite_reply', { invite_id: (await invited).invite_id, accept: true }));
    await until('the sub-team to open', async () => (await group(group_id)).state === 'discussion');
    return group_id;
  }
  const assign = async (by: TestAgent, g: string, to: TestAgent) =>
    ok(await by.client.send(g, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'work', task_abstract: 'work', assignee: [to.id] }] })).task_ids[0] as string;

  it('closes the sub-team of a canceled task, and the one below it first', async () => {
    const root = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: c.id, goal: 'a report', members: [x.id], team_up_depth: 2 })).body.id;
    const task = await assign(c, root, x);
    const sub = await subteam(x, task, y);
    const inner = await subteam(y, await assign(x, sub, y), z);
    const untouched = await subteam(x, await assign(c, root, x), z);

    ok(await c.client.send(root, 'task_cancel', { task_id: task, reason: 'no longer needed' }));
    await until('both sub-teams to close', async () => (await group(sub)).state === 'closed' && (await group(inner)).state === 'closed');
    for (const g of [sub, inner]) expect(await group(g)).toMatchObject({ close_reason: 'canceled' });
    const closes = (await call('GET', '/v1/audit?actor=system', ADMIN_TOKEN)).body.filter((e: any) => e.action === 'group_close');
    // Newest first: the sub-team closed after the one below it.
    expect(closes.map((e: any) => e.group_id).filter((g: string) => g === sub || g === inner)).toEqual([sub, inner]);
    expect(closes[0].detail).toEqual({ reason: 'canceled', note: `parent task ${task} canceled` });
    expect((await group(untouched)).state).toBe('discussion');

    // Closing a group cancels its open tasks, and so closes the sub-teams working for them.
    await call('POST', `/v1/groups/${root}/close`, ADMIN_TOKEN, {});
    await until('the other sub-team to close', async () => (await group(untouched)).state === 'closed');
  });
});
