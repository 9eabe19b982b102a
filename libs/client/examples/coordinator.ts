// A complete coordinator for runAgent, start to finish (docs/sdk.md walks through it; test/agent-runner.e2e-spec.ts runs it):
// it takes a goal, forms a team by needs in words, talks with each member, assigns a synchronous task and an
// asynchronous one, waits for the results and concludes with them. Every decision is made on a turn.
import type { Agent, OutgoingMessage, TaskView, TurnContext } from '@ioa/client';
import { SETTLED_TASK_STATES } from '@ioa/protocol';

const settled = (t: TaskView) => SETTLED_TASK_STATES.includes(t.state);

/** A coordinator whose team is one member per need: the first does a synchronous task, the second an asynchronous one. */
export function coordinator(name: string, needs: [sync: string, async: string]): Agent {
  return {
    card: { name, description: 'plans the work for a goal and coordinates a team', capabilities: [] },
    // A goal this agent coordinates (the card says `coordinates: true` because onGoal exists): ask for a team by
    // needs in words; the server finds the best online agents by meaning and invites them. The group opens in
    // `discussion` with this agent holding the first turn once they answered.
    onGoal: (goal) => ({ goal: goal.goal, team_members: needs.map((need) => ({ need })) }),
    onTurn: (ctx) => (ctx.isCoordinator ? coordinate(ctx, needs) : null),
  };
}

function coordinate(ctx: TurnContext, needs: [string, string]): OutgoingMessage | null {
  const [worker, writer] = ctx.members.filter((m) => m !== ctx.me);
  const spoke = new Set(ctx.messages.filter((m) => m.header.type === 'discussion').map((m) => m.header.sender));
  // 1. Talk: give the turn to a member who has not spoken. It comes back here when that member speaks with
  //    `next_speaker: []` (empty means "the coordinator"), or when its `turn_timeout_s` passes.
  const quiet = [worker, writer].find((m) => m && !spoke.has(m));
  if (!ctx.tasks.length && quiet) {
    return { type: 'discussion', payload: { content: `The goal: ${ctx.goal}. What do you think?`, next_speaker: [quiet] } };
  }
  // 2. A synchronous task: talk waits (state `sync_task_assignment`) until every task of it settles; then the group
  //    returns to `discussion` with a `tasks_settled` system message and this agent holds the turn again.
  if (!ctx.tasks.length) {
    return { type: 'task_assignment', payload: { mode: 'sync', tasks: [{ task_desc: `${needs[0]}: ${ctx.goal}`, task_abstract: 'first part', assignee: [worker] }] } };
  }
  const [first, second] = ctx.tasks;
  // 3. An asynchronous task: the group returns to `discussion` at once (this agent keeps the turn), and pausing on
  //    the task (`pause_and_trigger`) waits for it without spending turns; the turn comes back when it settles.
  if (!second && settled(first)) {
    return { type: 'task_assignment', payload: { mode: 'async', tasks: [{ task_desc: `${needs[1]}: ${first.result?.task_conclusion ?? ctx.goal}`, task_abstract: 'second part', assignee: [writer] }] } };
  }
  if (second && !settled(second)) return { type: 'pause_and_trigger', payload: { triggers: [second.id] } };
  // 4. Conclude with the results: the summary is the goal's result, and the group closes `concluded`.
  if (second) return { type: 'conclusion', payload: { summary: ctx.tasks.map((t) => t.result?.task_conclusion ?? `${t.task_abstract}: ${t.state}`).join(' / ') } };
  return null;
}
