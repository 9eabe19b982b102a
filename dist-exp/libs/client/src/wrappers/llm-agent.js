"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.llmAgent = llmAgent;
const protocol_1 = require("../../../protocol/src");
const llm_tools_1 = require("./llm-tools");
const outcome_1 = require("./outcome");
/**
 * An agent whose decisions are taken by a model behind any OpenAI-compatible `POST /chat/completions` (OpenAI, Ollama,
 * vLLM, llama.cpp) as tool calls. Each call is checked against the protocol's DTO (and group membership) before it is
 * sent; a bad one is retried with the error fed back, and after `maxRetries` the decision is dropped (nothing sent).
 * @example
 * runAgent(client, llmAgent({ card, baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5:7b' }));
 */
function llmAgent(options) {
    if (!options.baseUrl || !options.model)
        throw new Error('llmAgent needs baseUrl (an OpenAI-compatible API root, e.g. http://localhost:11434/v1) and model');
    const o = { maxRetries: 2, timeoutMs: 30_000, historyMessages: 20, summaryChars: 2000, retryDelayMs: 250, ...options };
    const usage = new Map();
    const failures = [];
    const summaries = new Map();
    /** "name — description" of the agents met in groups, so the model knows who can do what. */
    const cards = new Map();
    const system = o.systemPrompt ?? `You are ${o.card.name}: ${o.card.description}.`;
    async function ask(event, key, messages, tools, decide) {
        const conversation = [{ role: 'system', content: `${system}\nAnswer by calling exactly one of the tools.` }, ...messages];
        let error = '';
        for (let attempt = 0; attempt <= o.maxRetries; attempt++) {
            const asked = error ? [...conversation, { role: 'user', content: `Your previous answer was rejected: ${error}\nCall exactly one tool again, with valid arguments.` }] : conversation;
            let call;
            try {
                call = await complete(key, asked, tools);
            }
            catch (e) {
                error = e instanceof Error ? e.message : String(e);
                if (attempt < o.maxRetries)
                    await new Promise((r) => setTimeout(r, o.retryDelayMs * (attempt + 1)));
                continue;
            }
            try {
                return await decide(call);
            }
            catch (e) {
                error = e instanceof Error ? e.message : String(e);
            }
        }
        const failure = { event, key, error: `no valid answer after ${o.maxRetries + 1} attempts: ${error}` };
        failures.push(failure);
        if (failures.length > 50)
            failures.shift();
        if (o.onError)
            o.onError(failure);
        else
            console.error(`llm agent ${o.card.name} (${event} ${key}): ${failure.error}`);
        return null;
    }
    /** One request; throws on a refusal, a timeout or an answer without a tool call. */
    async function complete(key, messages, tools) {
        const signal = AbortSignal.timeout(o.timeoutMs);
        let res;
        let body;
        try {
            res = await fetch(`${o.baseUrl.replace(/\/$/, '')}/chat/completions`, {
                method: 'POST', signal,
                headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
                body: JSON.stringify({ model: o.model, messages, tools: tools.map((t) => ({ type: 'function', function: t })) }),
            });
            const text = await res.text();
            if (!res.ok)
                throw new Error(`HTTP ${res.status}: ${(0, outcome_1.clip)(text, 300)}`);
            body = JSON.parse(text);
        }
        catch (e) {
            if (signal.aborted)
                throw new Error(`timed out after ${o.timeoutMs} ms`);
            throw e;
        }
        const used = usage.get(key) ?? { prompt_tokens: 0, completion_tokens: 0, requests: 0 };
        used.requests += 1;
        used.prompt_tokens += Number(body?.usage?.prompt_tokens) || 0;
        used.completion_tokens += Number(body?.usage?.completion_tokens) || 0;
        usage.set(key, used);
        const fn = body?.choices?.[0]?.message?.tool_calls?.[0]?.function;
        if (!fn || typeof fn.name !== 'string')
            throw new Error('no tool call in the answer');
        return { name: fn.name, args: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}) };
    }
    /** A member as the model reads it: its card's name and description, or its id alone if the card cannot be read. */
    function member(ctx, id) {
        let card = cards.get(id);
        if (!card) {
            // A card that cannot be read now is asked for again at the next turn.
            card = Promise.resolve().then(() => ctx.client.rest.getAgent(id)).then((a) => `${a.name} — ${(0, outcome_1.clip)(a.description, 200)}`, () => (cards.delete(id), ''));
            cards.set(id, card);
        }
        return card.then((c) => `- ${id}${id === ctx.me ? ' (you)' : ''}${id === ctx.group.coordinator ? ' (coordinator)' : ''}${c ? `: ${c}` : ''}`);
    }
    /** The state of the group in words: goal, members with their cards, tasks with their results, earlier talk. */
    async function turnBrief(ctx, summary) {
        const members = await Promise.all(ctx.members.map((id) => member(ctx, id)));
        const tasks = ctx.tasks.map((t) => {
            // One line per task: a multi-line result is joined with "; ".
            const result = t.result ? `; result (${t.result.status}): ${(0, outcome_1.clip)(t.result.task_conclusion.trim().replace(/\s*\n\s*/g, '; '), 500)}` : t.reason ? `; reason: ${t.reason}` : '';
            return `- ${t.id} [${t.state}] → ${t.assignee.join(', ')}: ${t.task_abstract}${result}`;
        }).join('\n');
        return [`You are ${ctx.me}${ctx.isCoordinator ? ', the coordinator' : ''} in group ${ctx.group.id}.`, `Goal: ${ctx.goal}`,
            `State: ${ctx.state}.`, `Members:\n${members.join('\n')}`, tasks && `Tasks:\n${tasks}`, summary && `Earlier (summary):\n${summary}`].filter(Boolean).join('\n');
    }
    /** The last `historyMessages` messages; older ones seen for the first time are folded into the group's summary. */
    function context(groupId, messages) {
        const sorted = [...messages].sort((a, b) => a.header.seq - b.header.seq);
        const recent = sorted.slice(-o.historyMessages);
        const s = summaries.get(groupId) ?? { upTo: 0, text: '' };
        for (const m of sorted.slice(0, sorted.length - recent.length)) {
            if (m.header.seq <= s.upTo)
                continue;
            s.text = `${s.text}\n${(0, llm_tools_1.describe)(m, 200)}`.slice(-o.summaryChars);
            s.upTo = m.header.seq;
        }
        summaries.set(groupId, s);
        return { summary: s.text.trim(), recent };
    }
    return {
        card: o.card,
        usage: () => Object.fromEntries([...usage].map(([k, v]) => [k, { ...v }])),
        failures: () => [...failures],
        onTurn: async (ctx) => {
            const { summary, recent } = context(ctx.group.id, ctx.messages);
            const names = ctx.isCoordinator ? ['discuss', 'assign_tasks', 'pause_and_trigger', 'conclude'] : ['discuss'];
            const brief = await turnBrief(ctx, summary);
            const history = recent.map((m) => ({ role: m.header.sender === ctx.me ? 'assistant' : 'user', content: (0, llm_tools_1.describe)(m) }));
            return ask('turn', ctx.group.id, [{ role: 'user', content: brief }, ...history, { role: 'user', content: 'It is your turn.' }], names.map((n) => llm_tools_1.TOOLS[n]), async (call) => {
                if (!names.includes(call.name))
                    throw new Error(`unknown tool ${call.name}; use one of ${names.join(', ')}`);
                const type = llm_tools_1.TURN_TYPES[call.name];
                const dto = protocol_1.PAYLOAD_CLASSES[type];
                const payload = (await (0, llm_tools_1.checked)(dto, (0, llm_tools_1.parseArgs)(call)));
                const named = [...(payload.next_speaker ?? []), ...(payload.tasks ?? []).flatMap((t) => t.assignee)];
                const strangers = named.filter((id) => !ctx.members.includes(id));
                if (strangers.length)
                    throw new Error(`not members of this group: ${strangers.join(', ')} (members: ${ctx.members.join(', ')})`);
                return { type, payload };
            });
        },
        onTask: async (task, ctx) => {
            // The group's goal tells the model what the task is for; without it (the group cannot be read) the task alone.
            const goal = await ctx.group().then((g) => `This task serves the group goal: ${g.goal}\n`, () => '');
            const prompt = `${goal}Do this task and report with task_result.\nTask ${task.id}: ${(0, outcome_1.taskText)(task)}`;
            const result = await ask('task', task.group_id, [{ role: 'user', content: prompt }], [llm_tools_1.TOOLS.task_result], async (call) => (0, llm_tools_1.checked)(protocol_1.PAYLOAD_CLASSES.task_result, { ...(0, llm_tools_1.parseArgs)(call), task_id: task.id }));
            // The task is settled either way: a dropped answer becomes a failure, never the model's malformed text.
            if (!result)
                return (0, outcome_1.outcome)('failed', `${o.card.name}: the model gave no valid answer`);
            const { task_id: _, ...rest } = result;
            return rest;
        },
        onGoal: (goal) => {
            const prompt = `You coordinate this goal: ${goal.goal}\nForm a team: agent ids you know, or needs in words ({ need, count }).`;
            return ask('goal', `goal:${goal.goal_id}`, [{ role: 'user', content: prompt }], [llm_tools_1.TOOLS.form_team], async (call) => (0, llm_tools_1.checked)(protocol_1.TeamFormationPayload, { ...(0, llm_tools_1.parseArgs)(call), goal: goal.goal, goal_id: goal.goal_id }));
        },
    };
}
//# sourceMappingURL=llm-agent.js.map