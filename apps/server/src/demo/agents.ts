import { Agent, AgentCard, clip, ErrorCode, IoAClient, isIoAError, OutgoingMessage, RunOptions, TaskGraph, TaskOutcome, TaskView, Timeline, TurnContext } from '@ioa/client';
import { BRIEF, LINES, NEEDS, NeedKey, PROOFREAD_NEED, SIGN_OFF, TASKS } from './scenario';
import { convertUnits, counterCommand, phrasebook, proofread, quoted, runCommand } from './work';

const SETTLED = new Set(['completed', 'failed', 'canceled', 'rejected']);
const SUB_TEAM_TIMEOUT_MS = 30_000;

const say = (content: string, next: string[]): OutgoingMessage => ({ type: 'discussion', payload: { content, next_speaker: next } });
const isSettled = (t?: TaskView) => !!t && SETTLED.has(t.state);

/**
 * One scripted agent of the demo, built around its connected client. Every agent can coordinate a goal it is given
 * (the server picks the coordinator), answers turns with a canned line, and does tasks with the small deterministic
 * skill of its kind (`work.ts`); `base` is its fixture name, which selects the skill.
 */
export function scriptedAgent(client: IoAClient, card: AgentCard, base: string, out: Timeline, paceMs: number): { agent: Agent; options: RunOptions } {
  const me = () => out.name(client.agentId);
  /** A pause before each action, so that a person can follow the collaboration as it happens. */
  const think = () => new Promise<void>((r) => setTimeout(r, paceMs));
  /** Goals of the sub-teams this agent formed: it coordinates those groups with the sub-team script. */
  const subGoals = new Set<string>();
  /** Tasks whose result a sub-team's conclusion delivers (so the runner's own task_result is refused, as expected). */
  const delegated = new Set<string>();
  const teams = new Map<string, Record<NeedKey, string>>();

  /** Who joined for each need of a team this agent formed (the team-up decision, readable by its requester). */
  async function teamOf(groupId: string): Promise<Record<NeedKey, string>> {
    const known = teams.get(groupId);
    if (known) return known;
    const res = await fetch(`${client.rest.url}/v1/teams/${groupId}/decision`, { headers: { authorization: `Bearer ${client.credentials.token}` } });
    if (!res.ok) throw new Error(`team decision of ${groupId}: HTTP ${res.status}`);
    const decision = (await res.json()) as { needs: { need: string | null; invites: { agent_id: string; status: string }[] }[] };
    const team = {} as Record<NeedKey, string>;
    for (const key of Object.keys(NEEDS) as NeedKey[]) {
      const joined = decision.needs.find((n) => n.need === NEEDS[key])?.invites.find((i) => i.status === 'accepted');
      if (!joined) throw new Error(`nobody joined for the need "${NEEDS[key]}"`);
      team[key] = joined.agent_id;
    }
    teams.set(groupId, team);
    return team;
  }

  /**
   * The goal's coordinator: greet each member in turn; a sync task graph (distance and word count in parallel, then
   * its own brief joining their results, then a person's sign-off); an async task with a pause on it; the conclusion.
   */
  async function rootTurn(ctx: TurnContext): Promise<OutgoingMessage | null> {
    const team = await teamOf(ctx.group.id);
    const task = (k: NeedKey) => ctx.tasks.find((t) => t.task_abstract === TASKS[k].task_abstract);
    if (!ctx.tasks.length && ctx.state === 'discussion') {
      const spoke = new Set(ctx.messages.filter((m) => m.header.type === 'discussion').map((m) => m.header.sender));
      const next = ctx.members.find((m) => m !== ctx.me && !spoke.has(m));
      if (next) return say(`${spoke.has(ctx.me) ? 'Thanks.' : `Hello team, the goal: ${ctx.goal}.`} ${out.name(next)}, are you ready?`, [next]);
      const tasks = new TaskGraph()
        .task('distance', { ...TASKS.distance, assignee: [team.distance] })
        .task('words', { ...TASKS.words, assignee: [team.words] })
        .task('brief', { ...BRIEF, assignee: [ctx.me] }, { after: ['distance', 'words'] })
        .approval('sign-off', SIGN_OFF, { after: ['brief'] })
        .build();
      return { type: 'task_assignment', payload: { mode: 'sync', tasks } };
    }
    const spanish = task('spanish');
    if (!spanish && isSettled(ctx.tasks.find((t) => t.task_abstract === BRIEF.task_abstract))) {
      // Async: the discussion could go on while the note is written; here the coordinator pauses on it at once.
      const { task_ids = [] } = await ctx.client.assignTasks(ctx.group.id, [{ ...TASKS.spanish, assignee: [team.spanish] }], 'async');
      return { type: 'pause_and_trigger', payload: { triggers: task_ids } };
    }
    if (spanish && isSettled(spanish)) return { type: 'conclusion', payload: { summary: planSummary(ctx.tasks) } };
    return null;
  }

  /** The coordinator of a sub-team it formed for its task: ask the member, assign the check, conclude with the result. */
  function subTeamTurn(ctx: TurnContext): OutgoingMessage | null {
    const draft = quoted(ctx.goal);
    const others = ctx.members.filter((m) => m !== ctx.me);
    const spoke = new Set(ctx.messages.filter((m) => m.header.type === 'discussion').map((m) => m.header.sender));
    const next = others.find((m) => !spoke.has(m));
    if (!ctx.tasks.length && next) return say(`${out.name(next)}, could you proofread my phrasebook draft "${draft}"?`, [next]);
    if (!ctx.tasks.length) {
      return { type: 'task_assignment', payload: { mode: 'sync', tasks: [{ task_desc: `Proofread "${draft}"`, task_abstract: 'proofread the welcome note', assignee: others }] } };
    }
    if (!ctx.tasks.every(isSettled)) return null;
    const result = ctx.tasks[0].result;
    return { type: 'conclusion', payload: { summary: result?.status === 'completed' ? result.task_conclusion : `unchecked draft: ${draft}` } };
  }

  /** The translator's task: a phrasebook draft, then a proofreading sub-team whose conclusion settles the task. */
  async function delegate(task: TaskView, progress: (p: number, note: string) => Promise<void>): Promise<TaskOutcome> {
    const draft = phrasebook(quoted(task.task_desc ?? ''));
    await progress(0.3, `phrasebook draft: "${draft}"`);
    const goal = `Proofread the Spanish welcome note "${draft}"`;
    subGoals.add(goal);
    delegated.add(task.id);
    const settled = taskSettled(client, task.id, SUB_TEAM_TIMEOUT_MS);
    await client.formTeam({ goal, parent_task_id: task.id, team_members: [{ need: PROOFREAD_NEED }] });
    const done = await settled;
    return { status: done.state === 'completed' ? 'completed' : 'failed', task_conclusion: done.result?.task_conclusion ?? done.reason ?? '', task_abstract: done.result?.task_abstract ?? '' };
  }

  const agent: Agent = {
    card,
    onInvite: async (invite) => {
      await think();
      out.line('invite', `${me()} ← invite from ${out.name(invite.from)} for need "${invite.need ?? 'by id'}": accepts`);
      return { accept: true };
    },
    onGoal: async (goal) => {
      await think();
      out.line('goal', `${me()} received the goal and forms its team by ${Object.keys(NEEDS).length} needs`);
      return { goal: goal.goal, goal_id: goal.goal_id, team_members: Object.values(NEEDS).map((need) => ({ need })) };
    },
    onTurn: async (ctx) => {
      await think();
      if (ctx.isCoordinator) return subGoals.has(ctx.goal) ? subTeamTurn(ctx) : rootTurn(ctx);
      return say(LINES[base] ?? `${base} here (scripted): nothing to add.`, []);
    },
    onTask: async (task, report) => {
      await think();
      const text = task.task_desc ?? task.task_abstract;
      switch (base) {
        case 'unit-converter': {
          const r = convertUnits(text);
          return { status: 'completed', task_conclusion: r, task_abstract: r };
        }
        case 'word-counter': {
          const cmd = counterCommand(quoted(text));
          await report.progress(0.1, `$ node -e <counter> -- "${clip(quoted(text), 40)}"`);
          let n = 0;
          const stdout = await runCommand(cmd, (line) => report.progress(Math.min(0.9, 0.2 * ++n), `stdout: ${line}`));
          return { status: 'completed', task_conclusion: stdout, task_abstract: stdout.split('\n')[0] ?? '' };
        }
        case 'spanish-translator':
          return delegate(task, (p, note) => report.progress(p, note));
        case 'travel-planner': {
          // The graph's join: its two predecessors' results arrive as inputs.
          const input = (key: string) => task.inputs?.find((i) => i.key === key)?.task_conclusion ?? '(missing)';
          const words = /words: (\d+)/.exec(input('words'))?.[1] ?? '?';
          const brief = `the drive is ${input('distance')}; the two-day itinerary runs to ${words} words`;
          return { status: 'completed', task_conclusion: brief, task_abstract: brief };
        }
        case 'grammar-checker': {
          const { text: fixed, fixes } = proofread(quoted(text));
          return { status: 'completed', task_conclusion: fixed, task_abstract: `${fixes} fixes: ${fixed}` };
        }
        default:
          return { status: 'completed', task_conclusion: `(scripted stand-in) ${text.toUpperCase()}`, task_abstract: 'done (scripted stand-in)' };
      }
    },
  };
  const options: RunOptions = {
    onError: (e, where) => {
      // The sub-team's conclusion completed the task first, so the runner's own task_result is refused: expected.
      if (where.event === 'task' && where.task_id && delegated.has(where.task_id) && isIoAError(e, ErrorCode.ILLEGAL_IN_STATE)) return;
      out.line('agent', `${me()} failed in ${where.event}: ${e instanceof Error ? e.message : String(e)}`);
    },
  };
  return { agent, options };
}

/** The goal's result, composed from the brief (the graph's join) and the welcome note. */
function planSummary(tasks: TaskView[]): string {
  const result = (abstract: string) => tasks.find((t) => t.task_abstract === abstract)?.result?.task_conclusion ?? '(missing)';
  return `Madrid weekend for four: ${result(BRIEF.task_abstract)}; welcome note: ${result(TASKS.spanish.task_abstract)}`;
}

/** Resolves when the task reaches a settled state (from `task` events), or rejects after `timeoutMs`. */
function taskSettled(client: IoAClient, taskId: string, timeoutMs: number): Promise<TaskView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`task ${taskId} was not settled within ${timeoutMs / 1000} s`))), timeoutMs);
    const off = client.on('task', (t) => {
      if (t.id !== taskId || !SETTLED.has(t.state)) return;
      clearTimeout(timer);
      off();
      resolve(t);
    });
  });
}
