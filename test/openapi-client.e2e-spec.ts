import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import ts from 'typescript';
import { api } from './support/http';
import { ok, population, Scripted, teamUp, uuid } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/**
 * docs/openapi.json is enough to generate a working, typed client: the types come from openapi-typescript, the calls
 * from openapi-fetch, and a small program written against them (openapi-client/program.ts) must type-check and then
 * run against a real server. A route without a response schema, a renamed field or a lost error shape breaks it.
 */
const dir = join(__dirname, 'openapi-client');
const generated = join(dir, 'generated');
const spec = join(__dirname, '..', 'docs', 'openapi.json');
const document = JSON.parse(readFileSync(spec, 'utf8'));

/** Type errors of these files, strict, as a CommonJS program of today's TypeScript would see them. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema (`null` or the rest), which is how generators read it (openapi-typescript
 * writes `T | null`); Ajv alone would apply the `allOf` beside it to `null` too.
 */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, jsonSchema(v)]));
  return nullable ? { anyOf: [{ type: 'null' }, out] } : out;
}

describe('a client generated from docs/openapi.json', () => {
  beforeAll(() => {
    mkdirSync(generated, { recursive: true });
    // The generator's own command line, as a user would run it (its CommonJS build cannot be loaded by Jest).
    execFileSync(join(__dirname, '..', 'node_modules', '.bin', 'openapi-typescript'), [spec, '--output', join(generated, 'schema.d.ts')], { stdio: 'pipe' });
  });

  it('names every operation by a stable, readable id', () => {
    const ids = Object.entries(document.paths).flatMap(([path, ops]) => Object.entries(ops as object).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`));
    expect(ids.sort()).toEqual([
      'DELETE /v1/agents/{id} deleteAgent', 'DELETE /v1/groups/{id}/members/{agentId} removeMember', 'GET /health getHealth',
      'GET /health/live getLiveness', 'GET /health/ready getReadiness',
      'GET /v1/agents listAgents', 'GET /v1/agents/{id} getAgent', 'GET /v1/agents/{id}/contacts listContacts', 'GET /v1/audit listAudit',
      'GET /v1/auth/tokens listTokens', 'GET /v1/goals listGoals', 'GET /v1/goals/{id} getGoal', 'GET /v1/goals/{id}/tree getGoalTree',
      'GET /v1/groups listGroups', 'GET /v1/groups/{id} getGroup', 'GET /v1/groups/{id}/graphs/{message_id} getGraph', 'GET /v1/groups/{id}/messages listMessages', 'GET /v1/groups/{id}/tasks listTasks',
      'GET /v1/groups/{id}/checkpoints listCheckpoints', 'POST /v1/groups/{id}/checkpoints takeCheckpoint', 'POST /v1/groups/{id}/rollback rollback',
      'POST /v1/groups/{id}/pause pause', 'POST /v1/groups/{id}/resume resume', 'POST /v1/groups/{id}/messages postOperatorMessage',
      'GET /v1/teams/{id}/decision getTeamDecision', 'GET /v1/teams/{id}/tree getTeamTree', 'PATCH /v1/agents/{id} updateAgent',
      'POST /v1/agents registerAgent', 'POST /v1/agents/search searchAgents', 'POST /v1/agents/{id}/disable disableAgent',
      'POST /v1/agents/{id}/enable enableAgent', 'POST /v1/agents/{id}/tokens issueAgentTokens', 'POST /v1/auth/enrollments createEnrollment',
      'POST /v1/auth/observer-tokens createObserverToken', 'POST /v1/auth/refresh refreshToken', 'POST /v1/auth/tokens/{jti}/revoke revokeToken',
      'POST /v1/goals createGoal', 'POST /v1/goals/{id}/cancel cancelGoal', 'POST /v1/groups createGroup', 'POST /v1/groups/{id}/close closeGroup',
      'POST /v1/groups/{id}/members addMember', 'POST /v1/teams formTeam',
      'POST /v1/people createPerson', 'GET /v1/people listPeople', 'POST /v1/people/{id}/tokens issuePersonToken',
      'GET /v1/approvals listApprovals', 'GET /v1/approvals/{id} getApproval', 'POST /v1/approvals/{id} decideApproval',
      'POST /v1/auth/client-tokens createClientToken', 'GET /v1/goals/{id}/transcript getGoalTranscript', 'POST /mcp mcp', 'POST /a2a a2a', 'GET /.well-known/agent-card.json a2aAgentCard', 'POST /v1/goals/{id}/messages postGoalMessage', 'POST /v1/agents/import importA2aAgent',
    ].sort());
  });

  it('describes every success with a schema and every failure of an authenticated route with the error shape', () => {
    for (const [path, ops] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { responses: Record<string, any>; security?: unknown[] }>)) {
        const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
        expect(success.length).toBeGreaterThan(0);
        for (const [status, r] of success) expect([`${method} ${path} ${status}`, r.content?.['application/json']?.schema]).toEqual([expect.any(String), expect.any(Object)]);
        if (!op.security) continue;
        for (const status of ['400', '401', '403', '429']) expect([`${method} ${path}`, op.responses[status]?.content['application/json'].schema]).toEqual([expect.any(String), { $ref: '#/components/schemas/ErrorResponse' }]);
        if (path.includes('{id}')) expect([`${method} ${path}`, op.responses['404']?.description]).toEqual([expect.any(String), expect.stringContaining('NOT_FOUND')]);
      }
    }
  });

  it('type-checks a program that enrols, searches and reads a goal tree, and refuses one that misreads the API', () => {
    expect(typeErrors([join(dir, 'program.ts')])).toEqual([]);
    // Proof that the types are real: each line below misreads the API, and each must be an error. (An unknown body
    // field is not among them: the document says `additionalProperties: false`, but openapi-fetch's inferred body
    // types skip TypeScript's excess-property check; the server refuses it with VALIDATION.)
    const misuse = join(generated, 'misuse.ts');
    writeFileSync(misuse, [
      "import createClient from 'openapi-fetch';",
      "import type { paths } from './schema';",
      'export async function misuse(c: ReturnType<typeof createClient<paths>>): Promise<unknown[]> {',
      "  const goal = await c.GET('/v1/goals/{id}', { params: { path: { id: 'x' } } });",
      '  const turns: string = goal.data!.max_turns;',
      "  const agent = await c.POST('/v1/agents', { body: { name: 'no-description' } });",
      "  const page = await c.GET('/v1/goals', { params: { query: { status: 'finished' } } });",
      "  const code: 'NOPE' = goal.error!.error.code;",
      '  return [turns, agent, page, code];',
      '}',
    ].join('\n'));
    const errors = typeErrors([misuse]);
    expect(errors.map((e) => Number(/misuse\.ts:(\d+)/.exec(e)?.[1]))).toEqual([5, 6, 7, 8]);
  });

  describe('run against a real server', () => {
    const server = new TestServer();
    let who: Map<string, Scripted>;
    let goalId: string;

    beforeAll(async () => {
      await server.start();
      who = await population(server, ['openapi-coordinator', 'spanish-translator']);
      const call = api(server.url);
      const coordinator = who.get('openapi-coordinator')!;
      goalId = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'translate a letter', coordinator: coordinator.id })).body.id;
      ok(await teamUp(coordinator, { goal: 'translate a letter', goal_id: goalId, team_members: [who.get('spanish-translator')!.id] }));
      await until('the root team to open', async () => (await call('GET', `/v1/goals/${goalId}`, ADMIN_TOKEN)).body.status === 'running');
    });
    afterAll(async () => {
      for (const a of who?.values() ?? []) a.client.close();
      await server.dispose();
    });

    it('answers every read with a body that matches its documented schema', async () => {
      const coordinator = who.get('openapi-coordinator')!;
      const translator = who.get('spanish-translator')!;
      const group = (await api(server.url)('GET', `/v1/goals/${goalId}`, ADMIN_TOKEN)).body.root_group_id;
      // An open task, whose `result` is still null.
      ok(await coordinator.client.emit('message', {
        header: { protocol: 'ioa/1', message_id: uuid(), group_id: group, type: 'task_assignment' },
        payload: { mode: 'async', tasks: [{ task_desc: 'translate the letter', task_abstract: 'letter', assignee: [translator.id] }] },
      }));
      // Shapes, not formats: ajv-formats is not a dependency, and a `uri` format would only be warned about.
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      const paths = [
        '/health', '/v1/agents', `/v1/agents/${translator.id}`, '/v1/goals', `/v1/goals/${goalId}`, `/v1/goals/${goalId}/tree`, '/v1/groups',
        `/v1/groups/${group}`, `/v1/groups/${group}/messages`, `/v1/groups/${group}/tasks`, `/v1/teams/${group}/tree`, `/v1/teams/${group}/decision`,
        `/v1/agents/${translator.id}/contacts`, '/v1/audit', '/v1/auth/tokens',
      ];
      const mismatches: string[] = [];
      for (const path of paths) {
        const template = Object.keys(document.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path))!;
        const schema = document.paths[template].get.responses['200'].content['application/json'].schema;
        const body = (await api(server.url)('GET', path, ADMIN_TOKEN)).body;
        const valid = ajv.compile(jsonSchema({ ...schema, components: document.components }) as object);
        if (!valid(body)) mismatches.push(`${path}: ${ajv.errorsText(valid.errors)}`);
      }
      expect(mismatches).toEqual([]);
    });

    it('enrols, refreshes, finds the new agent by meaning and reads the team tree', async () => {
      const { tour } = await import('./openapi-client/program');
      const out = await tour(server.url, ADMIN_TOKEN, goalId);
      expect(out).toMatchObject({
        agentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        refreshed: true,
        best: 'openapi-poet',
        teams: [{ level: 0, coordinator: who.get('openapi-coordinator')!.id, members: expect.arrayContaining([who.get('spanish-translator')!.id]) }],
        missing: { status: 404, code: 'NOT_FOUND' },
      });
      expect(out.scores).toEqual([...out.scores].sort((a, b) => b - a));
    });
  });
});
