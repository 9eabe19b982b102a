import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { a2aCalls } from './support/a2a-client';
import { api } from './support/http';
import { SdkAgents, startTripTeam } from './support/sdk-agents';
import { ADMIN_TOKEN, TestServer } from './support/server';

const CLI = join(__dirname, '../dist/libs/client/src/cli/ioa.js');

/**
 * The MCP server, with the MCP SDK's own client: over Streamable HTTP at `/mcp` and over stdio (`ioa mcp`), with a
 * `client` token: lists the tools, searches agents, submits a goal that scripted agents finish (progress notifications
 * while it waits), reads the result and the transcript; another client cannot read it.
 */
describe('MCP (real server, scripted agents, the MCP SDK client over HTTP and stdio)', () => {
  const server = new TestServer();
  const agents = new SdkAgents(server);
  let call: ReturnType<typeof api>;
  let lead: string;
  const { clientToken } = a2aCalls(server);
  /** Every MCP client a test opens, closed after it whatever happened (an `ioa mcp` child must not outlive it). */
  const opened: Client[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
  });
  const overHttp = async (token: string) => {
    const client = new Client({ name: 'ioa-test', version: '1.0.0' });
    opened.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    return client;
  };

  beforeAll(async () => {
    await server.start();
    call = api(server.url);
    lead = await startTripTeam(agents);
  });
  afterAll(async () => {
    agents.stop();
    await server.dispose();
  });

  it('over HTTP: lists tools with schemas from the protocol, searches, submits and waits with progress, reads the transcript', async () => {
    const { token, client_id } = await clientToken('an MCP host');
    const mcp = await overHttp(token);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['cancel_goal', 'get_goal', 'search_agents', 'submit_goal']);
    const submit = tools.find((t) => t.name === 'submit_goal')!;
    expect(submit.inputSchema).toMatchObject({ type: 'object', required: ['goal'], properties: { goal: { type: 'string', maxLength: expect.any(Number) }, wait: { type: 'boolean' } } });

    const found = await mcp.callTool({ name: 'search_agents', arguments: { query: 'translate a letter into Spanish', top_k: 3 } });
    expect((found.content as Array<{ text: string }>)[0].text).toMatch(/spanish-translator/);
    for (const [name, args] of [['search_agents', { query: 'x', surprise: 1 }], ['get_goal', { goal_id: '' }], ['submit_goal', { goal: 'x', wait: true, timeout_s: 99999 }]] as const) {
      expect([name, await mcp.callTool({ name, arguments: args })]).toMatchObject([name, { isError: true, content: [{ text: expect.stringContaining('VALIDATION') }] }]);
    }

    const progress: string[] = [];
    const done = await mcp.callTool(
      { name: 'submit_goal', arguments: { goal: 'plan a weekend trip to Madrid for four', coordinator: lead, wait: true, timeout_s: 60 } },
      undefined, { onprogress: (p) => void progress.push(String(p.message)), timeout: 90_000 },
    );
    const goal = (done.structuredContent as { goal: { id: string; status: string; created_by: string; result: string } }).goal;
    expect(goal).toMatchObject({ status: 'completed', created_by: client_id, result: expect.any(String) });
    expect(progress.length).toBeGreaterThan(0);
    // Where the goal stood, as it went (the client may drop a notice that arrives with the result).
    expect(progress[0]).toMatch(/^(pending|running): /);

    const { resources } = await mcp.listResources();
    expect(resources.map((r) => r.uri)).toContain(`ioa://goals/${goal.id}/transcript`);
    const transcript = await mcp.readResource({ uri: `ioa://goals/${goal.id}/transcript` });
    expect((transcript.contents[0] as { text: string }).text).toMatch(/^#1 \S+ team_formation: plan a weekend trip to Madrid for four\n/);

    // Another client neither reads nor cancels it; an agent's token does not reach /mcp at all.
    const other = await overHttp((await clientToken('someone else')).token);
    expect(await other.callTool({ name: 'get_goal', arguments: { goal_id: goal.id } })).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('FORBIDDEN') }] });
    expect(await other.callTool({ name: 'cancel_goal', arguments: { goal_id: goal.id } })).toMatchObject({ isError: true });
    const agentToken = (await call('POST', `/v1/agents/${lead}/tokens`, ADMIN_TOKEN)).body.token;
    expect((await call('POST', '/mcp', agentToken, {})).status).toBe(403);
    expect((await call('GET', '/mcp', token)).status).toBe(405);
    const batch = [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' }];
    expect((await call('POST', '/mcp', token, batch)).status).toBe(400);
    await Promise.all([mcp.close(), other.close()]);
  });

  it('over stdio (ioa mcp): submits and waits with progress, submits another, reads it, cancels it', async () => {
    const { token } = await clientToken('a desktop host');
    const mcp = new Client({ name: 'ioa-test', version: '1.0.0' });
    opened.push(mcp);
    await mcp.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, '--url', server.url, '--token', token, 'mcp', '--poll-ms', '200'], stderr: 'pipe' }));
    expect((await mcp.listTools()).tools).toHaveLength(4);
    const progress: string[] = [];
    const done = await mcp.callTool(
      { name: 'submit_goal', arguments: { goal: 'plan a day trip to Toledo', coordinator: lead, wait: true } },
      undefined, { onprogress: (p) => void progress.push(String(p.message)), timeout: 90_000 },
    );
    expect((done.structuredContent as { goal: { status: string } }).goal.status).toBe('completed');
    // Where the goal stood, as it went (the client may drop a notice that arrives with the result).
    expect(progress[0]).toMatch(/^(pending|running): /);
    const submitted = await mcp.callTool({ name: 'submit_goal', arguments: { goal: 'translate our welcome note into Spanish', coordinator: lead, accept_timeout_s: 600 } });
    const id = (submitted.structuredContent as { goal: { id: string } }).goal.id;
    const read = await mcp.callTool({ name: 'get_goal', arguments: { goal_id: id } });
    expect((read.content as Array<{ text: string }>)[0].text).toContain(`goal ${id}`);
    const canceled = await mcp.callTool({ name: 'cancel_goal', arguments: { goal_id: id } });
    expect((canceled.structuredContent as { goal: { status: string; reason: string } }).goal).toMatchObject({ status: 'canceled', reason: 'canceled by the client that submitted it' });
    await mcp.close();
  });

  it('ends a waiting submit_goal when its token is revoked', async () => {
    const issued = await clientToken('revoked soon');
    // A coordinator that never connects: the goal waits, and so does the call.
    const idle = (await call('POST', '/v1/agents', ADMIN_TOKEN, { name: 'idle-coordinator', description: 'never here', capabilities: [], coordinates: true })).body.agent.id;
    const mcp = await overHttp(issued.token);
    let revoked = false;
    const waited = mcp.callTool(
      { name: 'submit_goal', arguments: { goal: 'wait for nobody', coordinator: idle, wait: true, timeout_s: 60 } },
      undefined, { onprogress: () => void (revoked ||= true, call('POST', `/v1/auth/tokens/${issued.jti}/revoke`, ADMIN_TOKEN)), timeout: 30_000 },
    );
    expect(await waited).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('UNAUTHORIZED') }] });
    expect(revoked).toBe(true);
    await mcp.close().catch(() => undefined);
  });
});
