import { ENVELOPE_LIMITS } from '@ioa/protocol';
import type { TurnContext } from '../agent';
import { OutgoingMessage, TaskOutcome, TaskView } from '../types';

/**
 * The text a wrapper works on: the full description where this agent may read it, else the abstract; for a node of a
 * task graph, followed by its inputs (the results of the tasks it waited for).
 */
export function taskText(task: TaskView): string {
  const text = task.task_desc ?? task.task_abstract;
  if (!task.inputs?.length) return text;
  const lines = task.inputs.map((i) => `- ${i.key} (${i.state}): ${i.task_conclusion ?? i.task_abstract ?? ''}`);
  return [text, '', 'Results of the tasks it builds on:', ...lines].join('\n');
}

/** A string cut to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The first non-empty line of a text. */
export const firstLine = (text: string): string => text.split('\n').find((l) => l.trim())?.trim() ?? '';

/** An outcome that fits the protocol's limits on `task_result` (so the server never refuses it). */
export function outcome(status: TaskOutcome['status'], conclusion: string, abstract = firstLine(conclusion)): TaskOutcome {
  return { status, task_conclusion: clip(conclusion, ENVELOPE_LIMITS.textMax), task_abstract: clip(abstract, ENVELOPE_LIMITS.abstractMax) };
}

/**
 * What an agent that only takes tasks (command, HTTP) does with a turn: hands it straight back to the coordinator,
 * rather than stay silent and make the group wait `turn_timeout_s` for each turn it is given. As the coordinator it
 * stays silent (the role passes on after `coordinator_timeout_s`).
 */
export function passTurnBack(ctx: TurnContext): OutgoingMessage | null {
  if (ctx.isCoordinator || ctx.state !== 'discussion') return null;
  return { type: 'discussion', payload: { content: 'I only take tasks; passing the turn back.', next_speaker: [] } };
}
