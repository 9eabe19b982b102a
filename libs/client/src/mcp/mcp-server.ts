import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, CallToolResult, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { CreateGoalDto, GoalIdDto, GoalView, MessagesPage, Page, SearchAgentsDto, SearchResponse, SubmitGoalToolDto } from '@ioa/protocol';
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
  /** How often `submit_goal` with `wait` reads the goal again (default 1 s, at least 100 ms). */
  pollMs?: number;
  /**
   * Called as a `submit_goal` starts waiting: returns the function that ends the wait, or throws to refuse it (a
   * server bounds how many calls a caller holds open).
   */
  beginWait?: () => () => void;
  /** Aborted when the server stops: waiting calls return where their goal stands. */
  stop?: AbortSignal;
}

/** A transcript resource holds at most this many messages, and about this many bytes. */
const TRANSCRIPT_LIMITS = { messages: 2000, bytes: 1024 * 1024 };

const SETTLED = new Set(['completed', 'failed', 'canceled']);
/** A tool's input schema, derived from the protocol's DTO (flat: none has nested objects), so it cannot drift. */
const schemaOf = (dto: Function) => {
  const s = targetConstructorToSchema(dto) as { properties?: object; required?: string[] };
  return { type: 'object' as const, properties: { ...s.properties }, required: s.required ?? [], additionalProperties: false };
};

const TOOLS = [
  { name: 'search_agents', description: 'Find agents registered with ioa by meaning: what they can do, ranked by how well they match the query.', inputSchema: schemaOf(SearchAgentsDto) },
  {
    name: 'submit_goal',
    description: 'Give ioa a goal: a coordinating agent forms a team by meaning, which works on it in a group. Returns the goal id at once, or with wait the result.',
    inputSchema: schemaOf(SubmitGoalToolDto),
  },
  { name: 'get_goal', description: "A goal's status, its team tree (groups, members, tasks) and its result.", inputSchema: schemaOf(GoalIdDto) },
  { name: 'cancel_goal', description: 'Cancel a goal and every group and task working on it.', inputSchema: schemaOf(GoalIdDto) },
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
  const pollMs = Math.max(100, options.pollMs ?? 1000);

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
          const { wait, timeout_s: timeoutS, ...rest } = parse(SubmitGoalToolDto, args);
          const end = wait ? options.beginWait?.() : undefined;
          try {
            const goal = await backend.createGoal(Object.assign(new CreateGoalDto(), rest));
            if (!wait) return text(`goal ${goal.id} submitted; its coordinator is ${goal.coordinator}`, { goal });
            const progress = extra._meta?.progressToken;
            const notify = (n: number, message: string) => progress !== undefined
              ? extra.sendNotification({ method: 'notifications/progress', params: { progressToken: progress, progress: n, message } })
              : Promise.resolve();
            const signals = [extra.signal, ...(options.stop ? [options.stop] : [])];
            const settled = await follow(backend, goal.id, pollMs, (timeoutS ?? 600) * 1000, AbortSignal.any(signals), notify);
            return text(goalSummary(settled), { goal: settled });
          } finally {
            end?.();
          }
        }
        case 'get_goal': {
          const goal = await backend.getGoal(parse(GoalIdDto, args).goal_id);
          return text(goalSummary(goal), { goal });
        }
        case 'cancel_goal': {
          const goal = await backend.cancelGoal(parse(GoalIdDto, args).goal_id);
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
    const messages: MessagesPage['items'] = [];
    let bytes = 0;
    for (let after: number | null = 0; after !== null && messages.length < TRANSCRIPT_LIMITS.messages && bytes < TRANSCRIPT_LIMITS.bytes; ) {
      const page: MessagesPage = await backend.goalTranscript(decodeURIComponent(id), after);
      messages.push(...page.items);
      bytes += JSON.stringify(page.items).length;
      after = page.next_after_seq;
    }
    return { contents: [{ uri: request.params.uri, mimeType: 'text/plain', text: transcriptText(messages) }] };
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
