// A small program written against a client generated from docs/openapi.json alone (openapi-typescript types plus
// openapi-fetch), as a user of another stack would: test/openapi-client.e2e-spec.ts generates `./generated/schema`,
// type-checks this file against it, then runs it against a real server.
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/schema';

type ErrorCode = components['schemas']['ErrorBody']['code'];

export interface Tour {
  agentId: string;
  refreshed: boolean;
  best: string;
  scores: number[];
  teams: { level: number; coordinator: string; members: string[]; tasks: string[] }[];
  missing: { status: number; code: ErrorCode };
}

/** Enrols an agent, refreshes its token, searches by meaning, reads a goal's team tree and one refusal. */
export async function tour(baseUrl: string, adminToken: string, goalId: string): Promise<Tour> {
  const admin = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${adminToken}` } });
  const enrollment = await admin.POST('/v1/auth/enrollments', { body: { max_uses: 1 } });
  if (!enrollment.data) throw new Error(`enrollment: ${enrollment.error?.error.code}`);

  const enrolled = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${enrollment.data.token}` } });
  const registered = await enrolled.POST('/v1/agents', {
    body: {
      name: 'openapi-poet',
      description: 'Writes short poems and haiku about the sea.',
      capabilities: [{ name: 'write_haiku', description: 'Write a haiku on a given theme.' }],
    },
  });
  if (!registered.data) throw new Error(`register: ${registered.error?.error.code}`);
  const refreshed = await admin.POST('/v1/auth/refresh', { body: { refresh_token: registered.data.refresh_token } });

  const search = await admin.POST('/v1/agents/search', { body: { query: 'someone to write a poem', top_k: 3 } });
  if (!search.data) throw new Error(`search: ${search.error?.error.code}`);

  const tree = await admin.GET('/v1/goals/{id}/tree', { params: { path: { id: goalId } } });
  if (!tree.data) throw new Error(`tree: ${tree.error?.error.code}`);
  type Node = components['schemas']['TreeNode'];
  const flat = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flat(n.children)]);

  const missing = await admin.GET('/v1/goals/{id}', { params: { path: { id: 'no-such-goal' } } });
  if (!missing.error) throw new Error('an unknown goal was found');
  return {
    agentId: registered.data.agent.id,
    refreshed: typeof refreshed.data?.token === 'string',
    best: search.data.results[0].agent.name,
    scores: search.data.results.map((r) => r.score),
    teams: flat(tree.data).map((n) => ({ level: n.level, coordinator: n.coordinator, members: n.members, tasks: n.tasks.map((t) => t.state) })),
    missing: { status: missing.response.status, code: missing.error.error.code },
  };
}
