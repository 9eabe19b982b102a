import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { Envelope, FAILURE_POLICIES, PROPOSABLE_STATES } from '@ioa/protocol';
import { clip } from './outcome';

/** One tool call of a model's answer: the function's name and its arguments as the model wrote them. */
export interface ToolCall { name: string; args: string }
/** A function offered to the model, as JSON Schema. */
export interface ToolDef { name: string; description: string; parameters: Record<string, unknown> }

const str = (description: string) => ({ type: 'string', description });
const ids = (description: string) => ({ type: 'array', items: { type: 'string' }, description });
const obj = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required, additionalProperties: false });

/** The decisions a model may take, one tool each; the protocol's DTOs check the arguments afterwards. */
export const TOOLS: Record<string, ToolDef> = {
  discuss: { name: 'discuss', description: 'Say something to the group and name who may speak next.', parameters: obj({
    content: str('what you say'), next_speaker: ids('member ids who may speak next; empty means the coordinator'),
    next_state: { type: 'string', enum: [...PROPOSABLE_STATES], description: 'propose a state change' },
  }, ['content', 'next_speaker']) },
  assign_tasks: {
    name: 'assign_tasks',
    description: 'Assign tasks to members (coordinator only). sync: the discussion waits until they settle; async: it goes on. '
      + 'For a task graph, give every task a key and depends_on (the keys it waits for; [] for a first task): each task starts once those settled, and receives their results.',
    parameters: obj({
      mode: { type: 'string', enum: ['sync', 'async'] },
      tasks: { type: 'array', items: obj({
        task_desc: str('full task text'), task_abstract: str('one-line summary'), assignee: ids('member ids'), deadline_s: { type: 'integer', minimum: 1 },
        key: str('graph: a short name for this task'), depends_on: ids('graph: keys of the tasks this one waits for'),
        when: { type: 'object', additionalProperties: { type: 'string' }, description: 'graph: per key of depends_on, "completed" (default), "failed", or a text that task\'s result summary must contain' },
        policy: { type: 'string', enum: [...FAILURE_POLICIES], description: 'graph: if this task fails, fail the whole graph (default), skip what depends on it, run it again (max_retries times), or reassign it to the next agent found for the same need (max_retries times)' },
        max_retries: { type: 'integer', minimum: 1, maximum: 10, description: 'graph, with policy retry or reassign: how many more runs or agents' },
      }, ['task_desc', 'task_abstract', 'assignee']) },
    }, ['mode', 'tasks']),
  },
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
export const TURN_TYPES = { discuss: 'discussion', assign_tasks: 'task_assignment', pause_and_trigger: 'pause_and_trigger', conclude: 'conclusion' } as const;

/** A tool call's arguments as an object, or a throw the model can read. */
export function parseArgs(call: ToolCall): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(call.args);
  } catch (e) {
    throw new Error(`the arguments of ${call.name} are not valid JSON (${e instanceof Error ? e.message : e})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`the arguments of ${call.name} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** The payload as its protocol DTO class, or a throw listing every violation (unknown fields included). */
export async function checked<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new Error(`invalid arguments: ${flatten(errors).join('; ')}`);
  return { ...plain } as T;
}

function flatten(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const here = path ? `${path}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((c) => `${here}: ${c}`), ...flatten(e.children ?? [], here)];
  });
}

/** One group message as a line the model reads. */
export function describe(m: Envelope, max = 4000): string {
  const p = m.payload as Record<string, any>;
  const text = typeof p.content === 'string' ? p.content : typeof p.summary === 'string' ? p.summary
    : Array.isArray(p.tasks) ? p.tasks.map((t: any) => `${t.task_abstract} → ${(t.assignee ?? []).join(', ')}`).join('; ') : JSON.stringify(p);
  return clip(`[#${m.header.seq} ${m.header.sender} ${m.header.type}] ${text}`, max);
}
