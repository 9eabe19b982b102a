import { AgentCard, clip, LlmAgent, llmAgent, RunOptions, Timeline } from '@ioa/client';
import { NEEDS, NeedKey, TASKS } from './scenario';

/** Where the model is: an OpenAI-compatible API root, its key, and the model name (from the demo's options). */
export interface LlmSettings {
  baseUrl: string;
  apiKey?: string;
  model: string;
}

/**
 * What the coordinator is told besides its card: the work the goal needs (as needs in words and task texts the
 * demo's workers can read, their input in double quotes) and the order of the session, one decision per turn.
 */
function playbook(card: AgentCard): string {
  const work = (Object.keys(NEEDS) as NeedKey[]).map((k) => `- "${TASKS[k].task_abstract}" (need: ${NEEDS[k]}); task_desc: ${TASKS[k].task_desc}`);
  return [
    `You are ${card.name}: ${card.description}`,
    'You coordinate a goal with a team of agents in an ioa group chat. The plan needs this work:',
    ...work,
    'Steps, one tool call each time you are asked:',
    '1. form_team: one need in words per piece of work, exactly as given.',
    '2. discuss: greet the team once and ask one member if they are ready (next_speaker: that member\'s id).',
    `3. assign_tasks, mode sync: "${TASKS.distance.task_abstract}" and "${TASKS.words.task_abstract}", each to the member whose card fits it, task_desc as given.`,
    `4. When both are completed: assign_tasks, mode async: "${TASKS.spanish.task_abstract}"; then pause_and_trigger on its task id.`,
    '5. When every task has settled: conclude with a summary that quotes each task\'s result.',
    'Use member ids exactly as listed in the brief.',
  ].join('\n');
}

/**
 * The demo's coordinator when a model is configured: the SDK's `llmAgent` wrapper, unchanged, with the demo's
 * playbook as its system prompt. Its decisions show in the watcher's lines like anyone's; what it asks for the goal,
 * the team it formed and every dropped decision are printed here.
 */
export function llmCoordinator(card: AgentCard, llm: LlmSettings, out: Timeline, me: () => string): { agent: LlmAgent; options: RunOptions } {
  const agent = llmAgent({
    card, ...llm, systemPrompt: playbook(card), timeoutMs: 60_000,
    onError: (f) => out.line('llm', `${me()}: the model gave no valid ${f.event} decision (nothing sent): ${clip(f.error, 160)}`),
  });
  const onGoal = agent.onGoal!;
  const coordinator: LlmAgent = {
    ...agent,
    onGoal: (goal) => {
      out.line('goal', `${me()} (LLM, ${llm.model}) received the goal and asks the model for its team`);
      return onGoal(goal);
    },
    onTeamFormed: ({ team, ack }) => {
      const asked = team.team_members.map((m) => (typeof m === 'string' ? out.name(m) : `"${m.need}"`)).join(', ');
      out.line('goal', `${me()} forms its team by ${team.team_members.length} needs chosen by the model: ${asked}`);
      out.line('goal', `team formation accepted: ${ack.candidates.length} invites out`);
    },
  };
  const options: RunOptions = { onError: (e, where) => out.line('agent', `${me()} failed in ${where.event}: ${e instanceof Error ? e.message : String(e)}`) };
  return { agent: coordinator, options };
}

/** One line on what the model cost, for the end of the run. */
export function usageLine(agent: LlmAgent): string {
  const totals = Object.values(agent.usage()).reduce((a, u) => ({ requests: a.requests + u.requests, prompt: a.prompt + u.prompt_tokens, completion: a.completion + u.completion_tokens }), { requests: 0, prompt: 0, completion: 0 });
  return `LLM coordinator: ${totals.requests} requests, ${totals.prompt} prompt + ${totals.completion} completion tokens, ${agent.failures().length} dropped decisions`;
}
