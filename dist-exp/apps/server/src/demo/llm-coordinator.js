"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.llmCoordinator = llmCoordinator;
exports.usageLine = usageLine;
const client_1 = require("../../../../libs/client/src");
const scenario_1 = require("./scenario");
const timeline_1 = require("./timeline");
/**
 * What the coordinator is told besides its card: the work the goal needs (as needs in words and task texts the
 * demo's workers can read, their input in double quotes) and the order of the session, one decision per turn.
 */
function playbook(card) {
    const work = Object.keys(scenario_1.NEEDS).map((k) => `- "${scenario_1.TASKS[k].task_abstract}" (need: ${scenario_1.NEEDS[k]}); task_desc: ${scenario_1.TASKS[k].task_desc}`);
    return [
        `You are ${card.name}: ${card.description}`,
        'You coordinate a goal with a team of agents in an ioa group chat. The plan needs this work:',
        ...work,
        'Steps, one tool call each time you are asked:',
        '1. form_team: one need in words per piece of work, exactly as given.',
        '2. discuss: greet the team once and ask one member if they are ready (next_speaker: that member\'s id).',
        `3. assign_tasks, mode sync: "${scenario_1.TASKS.distance.task_abstract}" and "${scenario_1.TASKS.words.task_abstract}", each to the member whose card fits it, task_desc as given.`,
        `4. When both are completed: assign_tasks, mode async: "${scenario_1.TASKS.spanish.task_abstract}"; then pause_and_trigger on its task id.`,
        '5. When every task has settled: conclude with a summary that quotes each task\'s result.',
        'Use member ids exactly as listed in the brief.',
    ].join('\n');
}
/**
 * The demo's coordinator when a model is configured: the SDK's `llmAgent` wrapper, unchanged, with the demo's
 * playbook as its system prompt. Its decisions show in the watcher's lines like anyone's; what it asks for the goal,
 * the team it formed and every dropped decision are printed here.
 */
function llmCoordinator(card, llm, out, me) {
    const agent = (0, client_1.llmAgent)({
        card, ...llm, systemPrompt: playbook(card), timeoutMs: 60_000,
        onError: (f) => out.line('llm', `${me()}: the model gave no valid ${f.event} decision (nothing sent): ${(0, timeline_1.clip)(f.error, 160)}`),
    });
    const onGoal = agent.onGoal;
    const coordinator = {
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
    const options = { onError: (e, where) => out.line('agent', `${me()} failed in ${where.event}: ${e instanceof Error ? e.message : String(e)}`) };
    return { agent: coordinator, options };
}
/** One line on what the model cost, for the end of the run. */
function usageLine(agent) {
    const totals = Object.values(agent.usage()).reduce((a, u) => ({ requests: a.requests + u.requests, prompt: a.prompt + u.prompt_tokens, completion: a.completion + u.completion_tokens }), { requests: 0, prompt: 0, completion: 0 });
    return `LLM coordinator: ${totals.requests} requests, ${totals.prompt} prompt + ${totals.completion} completion tokens, ${agent.failures().length} dropped decisions`;
}
//# sourceMappingURL=llm-coordinator.js.map