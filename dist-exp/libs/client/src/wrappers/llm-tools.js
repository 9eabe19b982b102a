"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TURN_TYPES = exports.TOOLS = void 0;
exports.parseArgs = parseArgs;
exports.checked = checked;
exports.describe = describe;
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const protocol_1 = require("../../../protocol/src");
const outcome_1 = require("./outcome");
const str = (description) => ({ type: 'string', description });
const ids = (description) => ({ type: 'array', items: { type: 'string' }, description });
const obj = (properties, required) => ({ type: 'object', properties, required, additionalProperties: false });
/** The decisions a model may take, one tool each; the protocol's DTOs check the arguments afterwards. */
exports.TOOLS = {
    discuss: { name: 'discuss', description: 'Say something to the group and name who may speak next.', parameters: obj({
            content: str('what you say'), next_speaker: ids('member ids who may speak next; empty means the coordinator'),
            next_state: { type: 'string', enum: [...protocol_1.PROPOSABLE_STATES], description: 'propose a state change' },
        }, ['content', 'next_speaker']) },
    assign_tasks: { name: 'assign_tasks', description: 'Assign tasks to members (coordinator only). sync: the discussion waits until they settle; async: it goes on.', parameters: obj({
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
/** The session message type each turn tool sends. */
exports.TURN_TYPES = { discuss: 'discussion', assign_tasks: 'task_assignment', pause_and_trigger: 'pause_and_trigger', conclude: 'conclusion' };
/** A tool call's arguments as an object, or a throw the model can read. */
function parseArgs(call) {
    let value;
    try {
        value = JSON.parse(call.args);
    }
    catch (e) {
        throw new Error(`the arguments of ${call.name} are not valid JSON (${e instanceof Error ? e.message : e})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
        throw new Error(`the arguments of ${call.name} must be a JSON object`);
    return value;
}
/** The payload as its protocol DTO class, or a throw listing every violation (unknown fields included). */
async function checked(cls, plain) {
    const instance = (0, class_transformer_1.plainToInstance)(cls, plain);
    const errors = await (0, class_validator_1.validate)(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length)
        throw new Error(`invalid arguments: ${flatten(errors).join('; ')}`);
    return { ...plain };
}
function flatten(errors, path = '') {
    return errors.flatMap((e) => {
        const here = path ? `${path}.${e.property}` : e.property;
        return [...Object.values(e.constraints ?? {}).map((c) => `${here}: ${c}`), ...flatten(e.children ?? [], here)];
    });
}
/** One group message as a line the model reads. */
function describe(m, max = 4000) {
    const p = m.payload;
    const text = typeof p.content === 'string' ? p.content : typeof p.summary === 'string' ? p.summary
        : Array.isArray(p.tasks) ? p.tasks.map((t) => `${t.task_abstract} → ${(t.assignee ?? []).join(', ')}`).join('; ') : JSON.stringify(p);
    return (0, outcome_1.clip)(`[#${m.header.seq} ${m.header.sender} ${m.header.type}] ${text}`, max);
}
//# sourceMappingURL=llm-tools.js.map