import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parse } from 'yaml';
import { GoalEvent, PROPOSABLE_STATES, ProposableState, RegisterAgentDto, TEAM_LIMITS, TeamMemberSpec } from '@ioa/protocol';
import type { Agent, TurnContext } from '../agent';
import { AgentCard } from '../types';
import { outcome, taskText } from './outcome';

export interface ScriptedTurn {
  say: string;
  /** Agent ids, or names of the group's members (resolved by search), who may speak next; empty: the coordinator. */
  next: string[];
  next_state?: ProposableState;
}

export interface ScriptedTask {
  /** `{task}` is replaced by the task text. */
  result: string;
  status: 'completed' | 'failed';
  /** Progress values reported before the result, each in (0, 1). */
  progress: number[];
}

export interface Script {
  card: AgentCard;
  invites: 'accept' | 'decline';
  turns: ScriptedTurn[];
  /** After the last turn: start again (`cycle`) or repeat the last one (`last`, the default). */
  after_last: 'cycle' | 'last';
  /** `default`, and other keys matched (case-insensitively) as substrings of the task text, in order. */
  tasks: Record<string, ScriptedTask>;
  /** The team it forms for a goal it coordinates (needs in words, or agent ids); with it, the agent coordinates. */
  goal?: { team_members: TeamMemberSpec[] };
}

/** Thrown by `loadScript` with the path of the offending field. */
export class ScriptError extends Error {
  constructor(readonly field: string, problem: string) {
    super(`scripted agent: ${field} ${problem}`);
    this.name = 'ScriptError';
  }
}

const TOP = ['card', 'invites', 'turns', 'after_last', 'tasks', 'goal'];
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function only(value: Record<string, unknown>, allowed: string[], at: string): void {
  const extra = Object.keys(value).find((k) => !allowed.includes(k));
  if (extra) throw new ScriptError(`${at}${at ? '.' : ''}${extra}`, `is not a known field (expected one of ${allowed.join(', ')})`);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!allowed.includes(value as T)) throw new ScriptError(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new ScriptError(field, 'must be a non-empty string');
  return value;
}

function card(value: unknown): AgentCard {
  if (!isObject(value)) throw new ScriptError('card', 'must be a mapping (name, description, capabilities)');
  const errors = validateSync(plainToInstance(RegisterAgentDto, value), { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const first = (e: ValidationError, path: string): [string, string] =>
      e.children?.length ? first(e.children[0], `${path}.${e.property}`) : [`${path}.${e.property}`, Object.values(e.constraints ?? {})[0] ?? 'is invalid'];
    const [field, why] = first(errors[0], 'card');
    throw new ScriptError(field, `is invalid: ${why}`);
  }
  return value as unknown as AgentCard;
}

function turn(value: unknown, at: string): ScriptedTurn {
  if (!isObject(value)) throw new ScriptError(at, 'must be a mapping with say and next');
  only(value, ['say', 'next', 'next_state'], at);
  const next = value.next ?? [];
  if (!Array.isArray(next) || next.some((n) => typeof n !== 'string' || !n)) throw new ScriptError(`${at}.next`, 'must be a list of agent names or ids');
  const result: ScriptedTurn = { say: text(value.say, `${at}.say`), next: next as string[] };
  if (value.next_state !== undefined) result.next_state = oneOf(value.next_state, PROPOSABLE_STATES, `${at}.next_state`);
  return result;
}

function task(value: unknown, at: string): ScriptedTask {
  if (!isObject(value)) throw new ScriptError(at, 'must be a mapping with result and status');
  only(value, ['result', 'status', 'progress'], at);
  const progress = value.progress ?? [];
  if (!Array.isArray(progress) || progress.some((p) => typeof p !== 'number' || !(p > 0 && p < 1))) {
    throw new ScriptError(`${at}.progress`, 'must be a list of numbers between 0 and 1');
  }
  return { result: text(value.result, `${at}.result`), status: oneOf(value.status, ['completed', 'failed'] as const, `${at}.status`, 'completed'), progress };
}

function goal(value: unknown): Script['goal'] {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ScriptError('goal', 'must be a mapping with team_members');
  only(value, ['team_members'], 'goal');
  const members = value.team_members;
  // The limits team formation applies (TEAM_LIMITS), so that a script that loads is not refused at goal time.
  const valid = (m: unknown) => (typeof m === 'string' && !!m && m.length <= 64) || (isObject(m) && typeof m.need === 'string' && !!m.need.trim()
    && m.need.length <= TEAM_LIMITS.needMax && Object.keys(m).every((k) => k === 'need' || k === 'count')
    && (m.count === undefined || (Number.isInteger(m.count) && (m.count as number) >= 1 && (m.count as number) <= TEAM_LIMITS.countMax)));
  if (!Array.isArray(members) || !members.length || members.length > 64 || !members.every(valid)) {
    throw new ScriptError('goal.team_members', 'must be a non-empty list of agent ids or { need, count? }');
  }
  return { team_members: members as TeamMemberSpec[] };
}

/**
 * Parses and validates a YAML agent script; errors name the offending field.
 * @example
 * const agent = scriptedAgent(loadScript(readFileSync('echo.yaml', 'utf8')));
 */
export function loadScript(yamlText: string): Script {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (e) {
    throw new ScriptError('(document)', `is not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(doc)) throw new ScriptError('(document)', 'must be a mapping with card, turns and tasks');
  only(doc, TOP, '');
  if (!Array.isArray(doc.turns) || !doc.turns.length) throw new ScriptError('turns', 'must be a non-empty list');
  if (doc.tasks !== undefined && !isObject(doc.tasks)) throw new ScriptError('tasks', 'must be a mapping (default: ...)');
  const tasks = Object.fromEntries(Object.entries(doc.tasks ?? {}).map(([k, v]) => [k, task(v, `tasks.${k}`)]));
  return {
    card: card(doc.card),
    invites: oneOf(doc.invites, ['accept', 'decline'] as const, 'invites', 'accept'),
    turns: doc.turns.map((t, i) => turn(t, `turns[${i}]`)),
    after_last: oneOf(doc.after_last, ['cycle', 'last'] as const, 'after_last', 'last'),
    tasks,
    ...(doc.goal !== undefined && { goal: goal(doc.goal) }),
  };
}

/**
 * A deterministic agent played from a script (see `loadScript`): fixed invite answers, turns said in order per group,
 * canned task results. Useful for demos, tests and as a stand-in for an agent still being built.
 * @example
 * runAgent(client, scriptedAgent(loadScript('card: {name: echo, description: echoes, capabilities: []}\nturns: [{say: hi}]\ntasks: {default: {result: "echo: {task}"}}')));
 */
export function scriptedAgent(script: Script): Agent {
  const spoken = new Map<string, number>();
  const names = new Map<string, string>();

  async function resolve(ctx: TurnContext, who: string): Promise<string | undefined> {
    if (ctx.members.includes(who)) return who;
    if (!names.has(who)) {
      const { results } = await ctx.client.rest.searchAgents({ query: who, top_k: 20 });
      const hit = results.find((r) => r.agent.name === who);
      if (hit) names.set(who, hit.agent.id);
    }
    const id = names.get(who);
    return id && ctx.members.includes(id) ? id : undefined;
  }

  const team = script.goal;
  return {
    card: script.card,
    onInvite: () => script.invites === 'accept',
    // A script with a `goal` section coordinates (runAgent declares it on the card): it forms that team.
    ...(team && { onGoal: (g: GoalEvent) => ({ goal: g.goal, team_members: team.team_members }) }),
    onTurn: async (ctx) => {
      const i = spoken.get(ctx.group.id) ?? 0;
      spoken.set(ctx.group.id, i + 1);
      const line = script.turns[script.after_last === 'cycle' ? i % script.turns.length : Math.min(i, script.turns.length - 1)];
      // A name that is not in the group is dropped rather than sent (the server would refuse the whole message).
      const next = (await Promise.all(line.next.map((n) => resolve(ctx, n)))).filter((id): id is string => !!id);
      const content = line.say.replace(/\{goal\}/g, ctx.goal);
      return { type: 'discussion', payload: { content, next_speaker: next, ...(line.next_state ? { next_state: line.next_state } : {}) } };
    },
    onTask: async (t, report) => {
      const body = taskText(t);
      const key = Object.keys(script.tasks).find((k) => k !== 'default' && body.toLowerCase().includes(k.toLowerCase())) ?? 'default';
      const entry = script.tasks[key];
      if (!entry) return outcome('failed', `no scripted answer for this task (no tasks.default)`);
      for (const p of entry.progress) await report.progress(p, `scripted progress ${p}`);
      return outcome(entry.status, entry.result.replace(/\{task\}/g, body));
    },
  };
}
