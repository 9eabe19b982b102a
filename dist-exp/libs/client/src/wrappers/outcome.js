"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.firstLine = exports.taskText = void 0;
exports.clip = clip;
exports.outcome = outcome;
const protocol_1 = require("../../../protocol/src");
/** The text a wrapper works on: the full description where this agent may read it, else the abstract. */
const taskText = (task) => task.task_desc ?? task.task_abstract;
exports.taskText = taskText;
/** A string cut to `max` characters, with an ellipsis when cut. */
function clip(text, max) {
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
/** The first non-empty line of a text. */
const firstLine = (text) => text.split('\n').find((l) => l.trim())?.trim() ?? '';
exports.firstLine = firstLine;
/** An outcome that fits the protocol's limits on `task_result` (so the server never refuses it). */
function outcome(status, conclusion, abstract = (0, exports.firstLine)(conclusion)) {
    return { status, task_conclusion: clip(conclusion, protocol_1.ENVELOPE_LIMITS.textMax), task_abstract: clip(abstract, protocol_1.ENVELOPE_LIMITS.abstractMax) };
}
//# sourceMappingURL=outcome.js.map