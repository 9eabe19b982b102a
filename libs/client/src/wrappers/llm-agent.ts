import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { Envelope, GoalEvent, PAYLOAD_CLASSES, TeamFormationPayload } from '@ioa/protocol';
import type { Agent, TurnContext } from '../agent';
import { AgentCard, OutgoingMessage, TaskOutcome, TaskView } from '../types';
import { clip, outcome, taskText } from './outcome';

export interface LlmAgentOptions {
  card: AgentCard;
  /** An OpenAI-compatible API root, e.g. `http://localhost:11434/v1` (Ollama); default `OPENAI_BASE_URL`. */
  baseUrl?: string;
  /** Sent as a bearer token when set; default `OPENAI_API_KEY`. */
  apiKey?: string;
  model: string;
  systemPrompt?: string;
  /** Further attempts after a malformed, refused or slow answer (default 2). */
  maxRetries?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Group messages sent verbatim (default 20); older ones are folded into a running summary. */
  historyMessages?: number;
  /** Bound of that summary (default 2000 characters; its oldest part goes first). */
  summaryChars?: number;
  /** Pause before retrying a refused (HTTP error) or timed-out request, times the attempt number (default 250 ms). */
  retryDelayMs?: number;
  /** Called when the model gave no valid answer after every retry; default `console.error`. */
  onError?(failure: LlmFailure): void;
}

export interface TokenUsage { prompt_tokens: number; completion_tokens: number; requests: number }
export interface LlmFailure { event: 'turn' | 'task' | 'goal'; key: string; error: string }

/** An `Agent` plus what it spent and where it failed. */
export interface LlmAgent extends Agent {
  /** Token totals per group id (a goal's team formation counts under `goal:<goal_id>`). */
  usage(): Record<string, TokenUsage>;
  /** The last failures (at most 50): decisions that were dropped, nothing sent. */
  failures(): LlmFailure[];
}

interface ToolCall { name: string; args: string }
interface ChatMessage { role: 'system' | 'user' | 'assistant'; content: string }
interface ToolDef { name: string; description: string; parameters: Record<string, unknown> }
/** Checks one tool call's arguments; returns what to send, or throws a message fed back to the model. */
type Decide<T> = (call: ToolCall) => Promise<T>;

const str = (description: string) => ({ type: 'string', description });
const ids = (description: string) => ({ type: 'array', items: { type: 'string' }, description });
const obj = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required, additionalProperties: false });

const TOOLS: Record<string, ToolDef> = {
  discuss: { name: 'discuss', description: 'Say something to the group and name who may speak next.', parameters: obj({
    content: str('what you say'), next_speaker: ids('member ids who may speak next; empty means the coordinator'),
    next_state: { type: 'string', enum: ['discussion', 'synchronous_task_assignment', 'asynchronous_task_assignment', 'conclusion'], description: 'propose a state change' },
  }, ['content', 'next_speaker']) },
  assign_tasks: { name: 'assign_tasks', description: 'Assign tasks to members (coordinator only).', parameters: obj({
    mode: { type: 'string', enum: ['sync', 'async'] },
    tasks: { type: 'array', items: obj({ task_desc: str('full task text'), task_abstract: str('one-line summary'), assignee: ids('member ids'), deadline_s: { type: 'integer', minimum: 1 } }, ['task_desc', 'task_abstract', 'assignee']) },
  }, ['mode', 'tasks']) },
  pause_and_trigger: { name: 'pause_and_trigger', description: 'Wait until these task ids settle (coordinator only).', parameters: obj({ triggers: ids('task ids') }, ['triggers']) },
  conclude: { name: 'conclude', description: 'Close the group with a summary of the outcome (coordinator only).', parameters: obj({ summary: str('the result') }, ['summary']) },
  form_team: { name: 'form_team', description: 'Form the team for this goal.', parameters: obj({
    team_members: { type: 'array', items: { anyOf: [str('an agent id'), obj({ need: str('a skill in words'), count: { type: 'integer', minimum: 1 } }, ['need'])] } },
  }, ['team_members']) },
  task_result: { name: 'task_result', description: 'Report the result of your task.', parameters: obj({
    status: { type: 'string', enum: ['completed', 'failed'] }, task_conclusion: str('the full result'), task_abstract: str('one-line summary'),
  }, ['status', 'task_conclusion', 'task_abstract']) },
};

const TURN_TYPES = { discuss: 'discussion', assign_tasks: 'task_assignment', pause_and_trigger: 'pause_and_trigger', conclude: 'conclusion' } as const;

/**
 * An agent whose decisions are taken by a model behind any OpenAI-compatible `POST /chat/completions` (OpenAI, Ollama,
 * vLLM, llama.cpp) as tool calls. Each call is checked against the protocol's DTO (and group membership) before it is
 * sent; a bad one is retried with the error fed back, and after `maxRetries` the decision is dropped (nothing sent).
 * @example
 * runAgent(client, llmAgent({ card, baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5:7b' }));
 */
export function llmAgent(options: LlmAgentOptions): LlmAgent {
  const o = { baseUrl: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 2, timeoutMs: 30_000, historyMessages: 20, summaryChars: 2000, retryDelayMs: 250, ...options };
  const usage = new Map<string, TokenUsage>();
  const failures: LlmFailure[] = [];
  const summaries = new Map<string, { upTo: number; text: string }>();
  const system = o.systemPrompt ?? `You are ${o.card.name}: ${o.card.description}.`;

  async function ask<T>(event: LlmFailure['event'], key: string, messages: ChatMessage[], tools: ToolDef[], decide: Decide<T>): Promise<T | null> {
    const conversation: ChatMessage[] = [{ role: 'system', content: `${system}\nAnswer by calling exactly one of the tools.` }, ...messages];
    let error = '';
    for (let attempt = 0; attempt <= o.maxRetries; attempt++) {
      const asked = error ? [...conversation, { role: 'user' as const, content: `Your previous answer was rejected: ${error}\nCall exactly one tool again, with valid arguments.` }] : conversation;
      let call: ToolCall;
      try {
        call = await complete(key, asked, tools);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        if (attempt < o.maxRetries) await new Promise((r) => setTimeout(r, o.retryDelayMs * (attempt + 1)));
        continue;
      }
      try {
        return await decide(call);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    const failure = { event, key, error: `no valid answer after ${o.maxRetries + 1} attempts: ${error}` };
    failures.push(failure);
    if (failures.length > 50) failures.shift();
    if (o.onError) o.onError(failure);
    else console.error(`llm agent ${o.card.name} (${event} ${key}): ${failure.error}`);
    return null;
  }

  /** One request; throws on a refusal, a timeout or an answer without a tool call. */
  async function complete(key: string, messages: ChatMessage[], tools: ToolDef[]): Promise<ToolCall> {
    if (!o.baseUrl) throw new Error('no baseUrl (set OPENAI_BASE_URL)');
    const signal = AbortSignal.timeout(o.timeoutMs);
    let res: Response;
    let body: any;
    try {
      res = await fetch(`${o.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST', signal,
        headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
        body: JSON.stringify({ model: o.model, messages, tools: tools.map((t) => ({ type: 'function', function: t })) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${clip(text, 300)}`);
      body = JSON.parse(text);
    } catch (e) {
      if (signal.aborted) throw new Error(`timed out after ${o.timeoutMs} ms`);
      throw e;
    }
    const used = usage.get(key) ?? { prompt_tokens: 0, completion_tokens: 0, requests: 0 };
    used.requests += 1;
    used.prompt_tokens += Number(body?.usage?.prompt_tokens) || 0;
    used.completion_tokens += Number(body?.usage?.completion_tokens) || 0;
    usage.set(key, used);
    const fn = body?.choices?.[0]?.message?.tool_calls?.[0]?.function;
    if (!fn || typeof fn.name !== 'string') throw new Error('no tool call in the answer');
    return { name: fn.name, args: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}) };
  }

  /** The last `historyMessages` messages; older ones seen for the first time are folded into the group's summary. */
  function context(groupId: string, messages: Envelope[]): { summary: string; recent: Envelope[] } {
    const sorted = [...messages].sort((a, b) => a.header.seq - b.header.seq);
    const recent = sorted.slice(-o.historyMessages);
    const s = summaries.get(groupId) ?? { upTo: 0, text: '' };
    for (const m of sorted.slice(0, sorted.length - recent.length)) {
      if (m.header.seq <= s.upTo) continue;
      s.text = `${s.text}\n${describe(m, 200)}`.slice(-o.summaryChars);
      s.upTo = m.header.seq;
    }
    summaries.set(groupId, s);
    return { summary: s.text.trim(), recent };
  }

  return {
    card: o.card,
    usage: () => Object.fromEntries([...usage].map(([k, v]) => [k, { ...v }])),
    failures: () => [...failures],

    onTurn: (ctx: TurnContext) => {
      const { summary, recent } = context(ctx.group.id, ctx.messages);
      const names = ctx.isCoordinator ? (['discuss', 'assign_tasks', 'pause_and_trigger', 'conclude'] as const) : (['discuss'] as const);
      const tasks = ctx.tasks.map((t) => `- ${t.id} [${t.state}] → ${t.assignee.join(', ')}: ${t.task_abstract}`).join('\n');
      const brief = [`You are ${ctx.me}${ctx.isCoordinator ? ', the coordinator' : ''} in group ${ctx.group.id}.`, `Goal: ${ctx.goal}`,
        `State: ${ctx.state}. Members: ${ctx.members.join(', ')}.`, tasks && `Tasks:\n${tasks}`, summary && `Earlier (summary):\n${summary}`].filter(Boolean).join('\n');
      const history: ChatMessage[] = recent.map((m) => ({ role: m.header.sender === ctx.me ? 'assistant' : 'user', content: describe(m) }));
      return ask('turn', ctx.group.id, [{ role: 'user', content: brief }, ...history, { role: 'user', content: 'It is your turn.' }], names.map((n) => TOOLS[n]), async (call) => {
        if (!(names as readonly string[]).includes(call.name)) throw new Error(`unknown tool ${call.name}; use one of ${names.join(', ')}`);
        const type = TURN_TYPES[call.name as keyof typeof TURN_TYPES];
        const dto: new () => object = PAYLOAD_CLASSES[type];
        const payload = (await checked(dto, parseArgs(call))) as { next_speaker?: string[]; tasks?: { assignee: string[] }[] };
        const named = [...(payload.next_speaker ?? []), ...(payload.tasks ?? []).flatMap((t) => t.assignee)];
        const strangers = named.filter((id) => !ctx.members.includes(id));
        if (strangers.length) throw new Error(`not members of this group: ${strangers.join(', ')} (members: ${ctx.members.join(', ')})`);
        return { type, payload } as OutgoingMessage;
      });
    },

    onTask: async (task: TaskView): Promise<TaskOutcome> => {
      const prompt = `Do this task and report with task_result.\nTask ${task.id}: ${taskText(task)}`;
      const result = await ask('task', task.group_id, [{ role: 'user', content: prompt }], [TOOLS.task_result], async (call) =>
        checked(PAYLOAD_CLASSES.task_result, { ...parseArgs(call), task_id: task.id }));
      // The task is settled either way: a dropped answer becomes a failure, never the model's malformed text.
      if (!result) return outcome('failed', `${o.card.name}: the model gave no valid answer`);
      const { task_id: _, ...rest } = result;
      return rest;
    },

    onGoal: (goal: GoalEvent) => {
      const prompt = `You coordinate this goal: ${goal.goal}\nForm a team: agent ids you know, or needs in words ({ need, count }).`;
      return ask('goal', `goal:${goal.goal_id}`, [{ role: 'user', content: prompt }], [TOOLS.form_team], async (call) =>
        checked(TeamFormationPayload, { ...parseArgs(call), goal: goal.goal, goal_id: goal.goal_id }));
    },
  };
}

function parseArgs(call: ToolCall): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(call.args);
  } catch (e) {
    throw new Error(`the arguments of ${call.name} are not valid JSON (${e instanceof Error ? e.message : e})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`the arguments of ${call.name} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** The payload as its protocol DTO class, or a throw listing every violation (unknown fields included). */
async function checked<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new Error(`invalid arguments: ${flatten(errors).join('; ')}`);
  return { ...plain } as T;
}

function flatten(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const here = path ? `${path}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((c) => `${here}: ${c}`), ...flatten(e.children ?? [], here)];
  });
}

/** One group message as a line the model reads. */
function describe(m: Envelope, max = 4000): string {
  const p = m.payload as Record<string, any>;
  const text = typeof p.content === 'string' ? p.content : typeof p.summary === 'string' ? p.summary
    : Array.isArray(p.tasks) ? p.tasks.map((t: any) => `${t.task_abstract} → ${(t.assignee ?? []).join(', ')}`).join('; ') : JSON.stringify(p);
  return clip(`[#${m.header.seq} ${m.header.sender} ${m.header.type}] ${text}`, max);
}
