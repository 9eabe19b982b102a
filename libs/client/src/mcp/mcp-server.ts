import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, CallToolResult, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { CreateGoalDto, GoalView, MessagesPage, Page, SearchAgentsDto, SearchResponse } from '@ioa/protocol';
import { goalSummary, transcriptText } from './goal-text';

/** What the MCP tools ask of ioa: the REST client (`ioa mcp`), or the server's own services (`/mcp`). */
export interface McpBackend {
  searchAgents(query: SearchAgentsDto): Promise<SearchResponse>;
  createGoal(body: CreateGoalDto): Promise<GoalView>;
  /** The goal with its team tree. */
  getGoal(goalId: string): Promise<GoalView>;
  cancelGoal(goalId: string): Promise<GoalView>;
  listGoals(query: { limit?: number }): Promise<Page<GoalView>>;
  goalTranscript(goalId: string, afterSeq?: number): Promise<MessagesPage>;
}

export interface McpOptions {
  /** The server's version, as MCP hosts show it. */
  version: string;
  /** How often `submit_goal` with `wait` reads the goal again (default 1 s). */
  pollMs?: number;
}

const SETTLED = new Set(['completed', 'failed', 'canceled']);
const GOAL_ID = { type: 'object', properties: { goal_id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['goal_id'], additionalProperties: false };
/** A tool's input schema, derived from the protocol's DTO, so it cannot drift from what the API accepts. */
const schemaOf = (dto: Function, extra: Record<string, object> = {}) => {
  const s = targetConstructorToSchema(dto) as { properties?: object; required?: string[] };
  return { type: 'object' as const, properties: { ...s.properties, ...extra }, required: s.required ?? [], additionalProperties: false };
};
const WAIT = {
  wait: { type: 'boolean', description: 'hold the call open until the goal settles, with progress notifications, and return its result' },
  timeout_s: { type: 'integer', minimum: 1, maximum: 3600, description: 'with wait: give up waiting after this long (default 600); the goal goes on' },
};

const TOOLS = [
  { name: 'search_agents', description: 'Find agents registered with ioa by meaning: what they can do, ranked by how well they match the query.', inputSchema: schemaOf(SearchAgentsDto) },
  {
    name: 'submit_goal',
    description: 'Give ioa a goal: a coordinating agent forms a team by meaning, which works on it in a group. Returns the goal id at once, or with wait the result.',
    inputSchema: schemaOf(CreateGoalDto, WAIT),
  },
  { name: 'get_goal', description: "A goal's status, its team tree (groups, members, tasks) and its result.", inputSchema: GOAL_ID },
  { name: 'cancel_goal', description: 'Cancel a goal and every group and task working on it.', inputSchema: GOAL_ID },
];

const text = (t: string, structured?: object): CallToolResult => ({ content: [{ type: 'text', text: t }], ...(structured ? { structuredContent: structured as Record<string, unknown> } : {}) });
const failure = (e: unknown): CallToolResult => {
  const err = e as { code?: string; message?: string };
  return { isError: true, content: [{ type: 'text', text: err.code ? `${err.code}: ${err.message}` : String(err.message ?? e) }] };
};

/** Checks arguments against the DTO as the API would (unknown fields refused); returns the DTO or throws its problems. */
function parse<T extends object>(dto: new () => T, args: unknown): T {
  const value = plainToInstance(dto, args ?? {});
  const problems = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (problems.length) throw { code: 'VALIDATION', message: problems.flatMap((p) => Object.values(p.constraints ?? {})).join('; ') };
  return value;
}

/**
 * An MCP server (the SDK's low-level `Server`, JSON Schema tools) over ioa: tools `search_agents`, `submit_goal`,
 * `get_goal`, `cancel_goal`, and each goal's transcript as the resource `ioa://goals/{goal_id}/transcript`.
 * @example
 * const server = createMcpServer(new RestClient(url, { token }), { version: '0.1.0' });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(backend: McpBackend, options: McpOptions): Server {
  const server = new Server({ name: 'ioa', version: options.version }, { capabilities: { tools: {}, resources: {} } });
  const pollMs = options.pollMs ?? 1000;

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    try {
      switch (request.params.name) {
        case 'search_agents': {
          const { results } = await backend.searchAgents(parse(SearchAgentsDto, args));
          const lines = results.map((r) => `${r.score.toFixed(3)} ${r.agent.name} (${r.agent.id}, ${r.agent.status}): ${r.agent.description}`);
          return text(lines.join('\n') || 'no agent matches', { results });
        }
        case 'submit_goal': {
          const { wait, timeout_s: timeoutS, ...rest } = args;
          const goal = await backend.createGoal(parse(CreateGoalDto, rest));
          if (wait !== true) return text(`goal ${goal.id} submitted; its coordinator is ${goal.coordinator}`, { goal });
          const progress = extra._meta?.progressToken;
          const notify = (n: number, message: string) => progress !== undefined
            ? extra.sendNotification({ method: 'notifications/progress', params: { progressToken: progress, progress: n, message } })
            : Promise.resolve();
          const settled = await follow(backend, goal.id, pollMs, (typeof timeoutS === 'number' ? timeoutS : 600) * 1000, extra.signal, notify);
          return text(goalSummary(settled), { goal: settled });
        }
        case 'get_goal': {
          const goal = await backend.getGoal(String(args.goal_id ?? ''));
          return text(goalSummary(goal), { goal });
        }
        case 'cancel_goal': {
          const goal = await backend.cancelGoal(String(args.goal_id ?? ''));
          return text(`goal ${goal.id} is ${goal.status}`, { goal });
        }
        default:
          return failure({ code: 'NOT_FOUND', message: `no tool ${request.params.name}` });
      }
    } catch (e) {
      return failure(e);
    }
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [{ uriTemplate: 'ioa://goals/{goal_id}/transcript', name: 'goal transcript', description: "The messages of a goal's root team, as you may see them.", mimeType: 'text/plain' }],
  }));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: (await backend.listGoals({ limit: 50 })).items.map((g) => ({ uri: `ioa://goals/${g.id}/transcript`, name: `transcript: ${g.goal.slice(0, 80)}`, mimeType: 'text/plain' })),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const id = /^ioa:\/\/goals\/([^/]+)\/transcript$/.exec(request.params.uri)?.[1];
    if (!id) throw new Error(`unknown resource ${request.params.uri}`);
    const pages: MessagesPage['items'] = [];
    for (let after: number | null = 0; after !== null && pages.length < 5000; ) {
      const page: MessagesPage = await backend.goalTranscript(decodeURIComponent(id), after);
      pages.push(...page.items);
      after = page.next_after_seq;
    }
    return { contents: [{ uri: request.params.uri, mimeType: 'text/plain', text: transcriptText(pages) }] };
  });
  return server;
}

/** Reads the goal every `pollMs` until it settles (or `timeoutMs`, or the call is canceled), telling each change. */
async function follow(backend: McpBackend, goalId: string, pollMs: number, timeoutMs: number, signal: AbortSignal, notify: (n: number, message: string) => Promise<void>): Promise<GoalView> {
  const until = Date.now() + timeoutMs;
  let last = '';
  let n = 0;
  for (;;) {
    const goal = await backend.getGoal(goalId);
    const line = goalSummary(goal, true);
    if (line !== last) await notify(++n, (last = line));
    if (SETTLED.has(goal.status) || signal.aborted || Date.now() >= until) return goal;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
