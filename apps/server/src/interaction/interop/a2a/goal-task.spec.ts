import 'reflect-metadata';
import { Task, TaskState } from '@a2a-js/sdk';
import { GoalEntity } from '../../../data/goals/goal.entity';
import { agentMessage, kept, status, taskOf } from './goal-task';

const asked = (at: number): Task => ({
  id: 'g', contextId: 'ctx', status: status(TaskState.TASK_STATE_INPUT_REQUIRED, agentMessage('g', 'ctx', 'Which city?'), at), artifacts: [], history: [], metadata: {},
});
const goal = (changes: Partial<GoalEntity>): GoalEntity => Object.assign(new GoalEntity(), {
  id: 'g', status: 'running', result: null, reason: null, a2a: null, a2aContextId: 'ctx', requesterMessageAt: null, requesterQuestion: null, requesterAskedAt: null,
  updatedAt: 2_000, ...changes,
});

describe('taskOf: an A2A task as its goal stands', () => {
  it('is input-required from the goal row alone, until the requester writes, then follows the goal', () => {
    const q = { a2a: { task: null }, requesterQuestion: 'Which city?', requesterAskedAt: 1_000 };
    expect(taskOf(goal(q)).status).toMatchObject({ state: TaskState.TASK_STATE_INPUT_REQUIRED, message: { parts: [{ content: { value: 'Which city?' } }] } });
    expect(taskOf(goal({ ...q, requesterMessageAt: 1_500 })).status?.state).toBe(TaskState.TASK_STATE_WORKING);
    expect(taskOf(goal({ ...q, requesterMessageAt: 500 })).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    // A question kept by an A2A request that followed it says nothing once answered.
    expect(taskOf(goal({ a2a: kept(asked(1_000)), requesterMessageAt: 1_500, requesterAskedAt: 1_000 })).status?.state).toBe(TaskState.TASK_STATE_WORKING);
  });

  it('takes its state from the goal, whatever the row kept, with the result as the artifact', () => {
    const question = kept(asked(1_000));
    expect(taskOf(goal({ a2a: question, requesterAskedAt: 1_000, status: 'completed', result: 'done' }))).toMatchObject({
      status: { state: TaskState.TASK_STATE_COMPLETED }, artifacts: [{ artifactId: 'result', parts: [{ content: { $case: 'text', value: 'done' } }] }],
    });
    expect(taskOf(goal({ a2a: question, status: 'failed', reason: 'no team' })).status).toMatchObject({ state: TaskState.TASK_STATE_FAILED, message: { parts: [{ content: { value: 'no team' } }] } });
    expect(taskOf(goal({ a2a: { task: null }, status: 'pending' })).status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    expect(taskOf(goal({ a2a: { task: null } })).status?.state).toBe(TaskState.TASK_STATE_WORKING);
  });

  it('keeps the newest history within its bound', () => {
    const long = { ...asked(1), history: Array.from({ length: 50 }, (_, i) => agentMessage('g', 'ctx', `line ${i} ${'x'.repeat(20_000)}`)) };
    const history = Task.fromJSON(kept(long).task).history;
    expect(history.length).toBeLessThan(20);
    expect(history.at(-1)?.parts[0]?.content).toMatchObject({ value: expect.stringMatching(/^line 49 /) });
  });
});
