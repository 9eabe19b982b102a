import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState } from '@a2a-js/sdk';
import { AgentEvent, AgentExecutionEvent, AgentExecutor, ExecutionEventBus, RequestContext } from '@a2a-js/sdk/server';
import { goalChanges } from '@ioa/client/mcp/goal-text';
import { ErrorCode, GoalView, REQUESTER_SENDER } from '@ioa/protocol';
import { GoalRepository } from '../../../data/goals/goal-repository';
import { toApiError } from '../../../foundation/http/error.filter';
import { Principal } from '../../../foundation/security/principal';
import { GoalsService } from '../../team-formation/goals.service';
import { GoalPushes } from './goal-pushes';
import { principalOf } from './goal-task-store';
import { CallerBound } from '../caller-bound';
import { RequestBuses } from './request-buses';
import { agentMessage, goalRequest, isSettled, resultArtifact, STATE_OF, status, taskOf, textOf } from './goal-task';

/** How often a followed goal is read again. */
const POLL_MS = 500;
/** Requests one caller may hold open on this node at once; beyond, a task is answered at once, to read with `GetTask`. */
const REQUESTS_PER_CALLER = 8;

/** Where the root team's transcript was read to, and the question to the requester it left open (if any). */
interface Reading {
  afterSeq: number;
  question: string | null;
}

/**
 * The A2A side of a goal. A new task submits the goal; a message in a running task is the requester's message to
 * the root team's coordinator (checked before, by `GoalRequestHandler`). Either way the goal is then followed (read
 * every `POLL_MS`, so on whichever node the team works) and told as task events on every request's bus of the task
 * (`RequestBuses`): a status line per change, `input-required` when the coordinator asks the requester
 * (`ask_requester`), and the end with the result as an artifact. Each task is followed once on a node.
 */
@Injectable()
export class GoalExecutor implements AgentExecutor, BeforeApplicationShutdown {
  private readonly logger = new Logger('a2a');
  private readonly stopping = new AbortController();
  /** Goals followed on this node: a second message in the same task waits on the same following. */
  private readonly following = new Map<string, Promise<void>>();
  private readonly held = new CallerBound(REQUESTS_PER_CALLER);

  constructor(private readonly goals: GoalsService, private readonly rows: GoalRepository, private readonly pushes: GoalPushes, readonly buses: RequestBuses) {}

  /** Before the HTTP server closes: streams and blocking calls end (with the task as it stands), so it can. */
  beforeApplicationShutdown(): void {
    this.stopping.abort();
  }

  async execute(ctx: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const p = principalOf(ctx.context);
    const { taskId, contextId } = ctx;
    let reading: Reading = { afterSeq: 0, question: null };
    let before: GoalView | null = null;
    if (ctx.task) {
      bus.publish(AgentEvent.task(ctx.task));
      reading = { afterSeq: (await this.goals.message(p, taskId, textOf(ctx.userMessage))).seq, question: null };
      before = await this.goals.get(p, taskId);
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_WORKING, agentMessage(taskId, contextId, 'your message reached the coordinator')), metadata: {} }));
    } else {
      try {
        await this.goals.create(p, goalRequest(ctx.userMessage), { taskId, contextId });
      } catch (e) {
        // Nothing was submitted, so there is no task: the answer is a message saying why.
        const error = toApiError(e);
        await this.pushes.forget(taskId).catch(() => undefined);
        if (error.code === ErrorCode.INTERNAL) this.logger.error(`${p.id}: ${e instanceof Error ? e.stack : String(e)}`);
        bus.publish(AgentEvent.message({ ...agentMessage('', contextId, `${error.code}: ${error.message}`), metadata: { code: error.code } }));
        return;
      }
      bus.publish(AgentEvent.task({ id: taskId, contextId, status: status(TaskState.TASK_STATE_SUBMITTED), history: [ctx.userMessage], artifacts: [], metadata: { ioa_goal_id: taskId } }));
    }
    // Requests held open per caller (new tasks and messages in them alike): beyond the bound, answered at once.
    const end = this.held.begin(p.id);
    if (!end) {
      const state = ctx.task ? TaskState.TASK_STATE_WORKING : TaskState.TASK_STATE_SUBMITTED;
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(state, agentMessage(taskId, contextId, `you have ${REQUESTS_PER_CALLER} requests open already: read this task with GetTask`)), metadata: {} }));
      return;
    }
    try {
      let running = this.following.get(taskId);
      if (!running) {
        running = this.follow(p, taskId, contextId, before, reading).finally(() => this.following.delete(taskId));
        this.following.set(taskId, running);
      }
      await running;
    } finally {
      end();
    }
  }

  /** Reached only when the goal had already settled as the cancel came (`GoalRequestHandler.cancelTask`): says how. */
  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    const goal = await this.rows.get(taskId);
    if (goal) bus.publish(AgentEvent.statusUpdate({ taskId, contextId: taskOf(goal).contextId, status: taskOf(goal).status, metadata: {} }));
  }

  private async follow(p: Principal, taskId: string, contextId: string, before: GoalView | null, reading: Reading): Promise<void> {
    const publish = (event: AgentExecutionEvent) => this.buses.of(taskId).forEach((b) => b.publish(event));
    const say = (state: TaskState, text: string) => publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(state, agentMessage(taskId, contextId, text)), metadata: {} }));
    try {
      while (!this.stopping.signal.aborted) {
        const goal = await this.goals.get(p, taskId);
        const lines = goalChanges(before, goal);
        before = goal;
        if (isSettled(goal)) {
          // What happened since the last read, as it happened (the team worked on), then the end.
          for (const line of lines.slice(1)) say(TaskState.TASK_STATE_WORKING, line);
          if (goal.result !== null) publish(AgentEvent.artifactUpdate({ taskId, contextId, artifact: resultArtifact(goal.result), append: false, lastChunk: true, metadata: {} }));
          say(STATE_OF[goal.status], lines[0] ?? `goal ${goal.status}`);
          return;
        }
        for (const line of lines) say(STATE_OF[goal.status], line);
        reading = await this.read(p, taskId, reading);
        if (reading.question !== null) {
          say(TaskState.TASK_STATE_INPUT_REQUIRED, reading.question);
          return;
        }
        await sleep(POLL_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    } catch (e) {
      // The task keeps its goal: a later read (`GetTask`, another message) tells where it stands.
      this.logger.error(`task ${taskId}: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }

  /** Reads the root team's messages since `afterSeq`: a question asked of the requester stays open until it writes. */
  private async read(p: Principal, goalId: string, { afterSeq, question }: Reading): Promise<Reading> {
    for (;;) {
      const page = await this.goals.transcript(p, goalId, afterSeq);
      for (const m of page.items) {
        const payload = m.payload as { ask_requester?: boolean; content?: string; event?: string };
        if (m.header.type === 'discussion' && payload.ask_requester) question = payload.content ?? '';
        if (m.header.sender === REQUESTER_SENDER && payload.event === 'requester_message') question = null;
        afterSeq = m.header.seq;
      }
      if (page.next_after_seq === null) return { afterSeq, question };
    }
  }
}
