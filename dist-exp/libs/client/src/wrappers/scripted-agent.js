"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ScriptError = void 0;
exports.loadScript = loadScript;
exports.scriptedAgent = scriptedAgent;
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const yaml_1 = require("yaml");
const protocol_1 = require("../../../protocol/src");
const outcome_1 = require("./outcome");
/** Thrown by `loadScript` with the path of the offending field. */
class ScriptError extends Error {
    field;
    constructor(field, problem) {
        super(`scripted agent: ${field} ${problem}`);
        this.field = field;
        this.name = 'ScriptError';
    }
}
exports.ScriptError = ScriptError;
const TOP = ['card', 'invites', 'turns', 'after_last', 'tasks'];
const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
function only(value, allowed, at) {
    const extra = Object.keys(value).find((k) => !allowed.includes(k));
    if (extra)
        throw new ScriptError(`${at}${at ? '.' : ''}${extra}`, `is not a known field (expected one of ${allowed.join(', ')})`);
}
function oneOf(value, allowed, field, fallback) {
    if (value === undefined && fallback !== undefined)
        return fallback;
    if (!allowed.includes(value))
        throw new ScriptError(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    return value;
}
function text(value, field) {
    if (typeof value !== 'string' || !value.trim())
        throw new ScriptError(field, 'must be a non-empty string');
    return value;
}
function card(value) {
    if (!isObject(value))
        throw new ScriptError('card', 'must be a mapping (name, description, capabilities)');
    const errors = (0, class_validator_1.validateSync)((0, class_transformer_1.plainToInstance)(protocol_1.RegisterAgentDto, value), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
        const first = (e, path) => e.children?.length ? first(e.children[0], `${path}.${e.property}`) : [`${path}.${e.property}`, Object.values(e.constraints ?? {})[0] ?? 'is invalid'];
        const [field, why] = first(errors[0], 'card');
        throw new ScriptError(field, `is invalid: ${why}`);
    }
    return value;
}
function turn(value, at) {
    if (!isObject(value))
        throw new ScriptError(at, 'must be a mapping with say and next');
    only(value, ['say', 'next', 'next_state'], at);
    const next = value.next ?? [];
    if (!Array.isArray(next) || next.some((n) => typeof n !== 'string' || !n))
        throw new ScriptError(`${at}.next`, 'must be a list of agent names or ids');
    const result = { say: text(value.say, `${at}.say`), next: next };
    if (value.next_state !== undefined)
        result.next_state = oneOf(value.next_state, protocol_1.PROPOSABLE_STATES, `${at}.next_state`);
    return result;
}
function task(value, at) {
    if (!isObject(value))
        throw new ScriptError(at, 'must be a mapping with result and status');
    only(value, ['result', 'status', 'progress'], at);
    const progress = value.progress ?? [];
    if (!Array.isArray(progress) || progress.some((p) => typeof p !== 'number' || !(p > 0 && p < 1))) {
        throw new ScriptError(`${at}.progress`, 'must be a list of numbers between 0 and 1');
    }
    return { result: text(value.result, `${at}.result`), status: oneOf(value.status, ['completed', 'failed'], `${at}.status`, 'completed'), progress };
}
/**
 * Parses and validates a YAML agent script; errors name the offending field.
 * @example
 * const agent = scriptedAgent(loadScript(readFileSync('echo.yaml', 'utf8')));
 */
function loadScript(yamlText) {
    let doc;
    try {
        doc = (0, yaml_1.parse)(yamlText);
    }
    catch (e) {
        throw new ScriptError('(document)', `is not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isObject(doc))
        throw new ScriptError('(document)', 'must be a mapping with card, turns and tasks');
    only(doc, TOP, '');
    if (!Array.isArray(doc.turns) || !doc.turns.length)
        throw new ScriptError('turns', 'must be a non-empty list');
    if (doc.tasks !== undefined && !isObject(doc.tasks))
        throw new ScriptError('tasks', 'must be a mapping (default: ...)');
    const tasks = Object.fromEntries(Object.entries(doc.tasks ?? {}).map(([k, v]) => [k, task(v, `tasks.${k}`)]));
    return {
        card: card(doc.card),
        invites: oneOf(doc.invites, ['accept', 'decline'], 'invites', 'accept'),
        turns: doc.turns.map((t, i) => turn(t, `turns[${i}]`)),
        after_last: oneOf(doc.after_last, ['cycle', 'last'], 'after_last', 'last'),
        tasks,
    };
}
/**
 * A deterministic agent played from a script (see `loadScript`): fixed invite answers, turns said in order per group,
 * canned task results. Useful for demos, tests and as a stand-in for an agent still being built.
 * @example
 * runAgent(client, scriptedAgent(loadScript('card: {name: echo, description: echoes, capabilities: []}\nturns: [{say: hi}]\ntasks: {default: {result: "echo: {task}"}}')));
 */
function scriptedAgent(script) {
    const spoken = new Map();
    const names = new Map();
    async function resolve(ctx, who) {
        if (ctx.members.includes(who))
            return who;
        if (!names.has(who)) {
            const { results } = await ctx.client.rest.searchAgents({ query: who, top_k: 20 });
            const hit = results.find((r) => r.agent.name === who);
            if (hit)
                names.set(who, hit.agent.id);
        }
        const id = names.get(who);
        return id && ctx.members.includes(id) ? id : undefined;
    }
    return {
        card: script.card,
        onInvite: () => script.invites === 'accept',
        onTurn: async (ctx) => {
            const i = spoken.get(ctx.group.id) ?? 0;
            spoken.set(ctx.group.id, i + 1);
            const line = script.turns[script.after_last === 'cycle' ? i % script.turns.length : Math.min(i, script.turns.length - 1)];
            // A name that is not in the group is dropped rather than sent (the server would refuse the whole message).
            const next = (await Promise.all(line.next.map((n) => resolve(ctx, n)))).filter((id) => !!id);
            const content = line.say.replace(/\{goal\}/g, ctx.goal);
            return { type: 'discussion', payload: { content, next_speaker: next, ...(line.next_state ? { next_state: line.next_state } : {}) } };
        },
        onTask: async (t, report) => {
            const body = (0, outcome_1.taskText)(t);
            const key = Object.keys(script.tasks).find((k) => k !== 'default' && body.toLowerCase().includes(k.toLowerCase())) ?? 'default';
            const entry = script.tasks[key];
            if (!entry)
                return (0, outcome_1.outcome)('failed', `no scripted answer for this task (no tasks.default)`);
            for (const p of entry.progress)
                await report.progress(p, `scripted progress ${p}`);
            return (0, outcome_1.outcome)(entry.status, entry.result.replace(/\{task\}/g, body));
        },
    };
}
//# sourceMappingURL=scripted-agent.js.map