import { CancelTaskRequest, Message, SendMessageRequest, StreamResponse, Task, TaskPushNotificationConfig } from '@a2a-js/sdk';
import { RequestMalformedError, TaskNotFoundError, UnsupportedOperationError } from '@a2a-js/sdk/errors';
import { AgentCard } from '@a2a-js/sdk';
import { DefaultRequestHandler, ServerCallContext } from '@a2a-js/sdk/server';
import { ENVELOPE_LIMITS, ErrorCode } from '@ioa/protocol';
import { toApiError } from '../../../foundation/http/error.filter';
import { GoalsService } from '../../team-formation/goals.service';
import { GoalExecutor } from './goal-executor';
import { GoalPushes, redacted } from './goal-pushes';
import { GoalTaskStore, principalOf } from './goal-task-store';
import { ENDED_STATES, goalRequest, textOf } from './goal-task';

/** The SDK makes UUIDs; a client's own context ids are kept up to this length. */
const CONTEXT_ID_MAX = 64;

/**
 * The A2A SDK's request handler over goals, with what it cannot know: a message is checked before any task exists
 * (a refusal is an `invalid params` error, not a failed task), and a cancel cancels the goal and its whole tree
 * (on whichever node runs them) before the SDK records it. Push notification configs are kept and pushed by
 * `GoalPushes`.
 */
export class GoalRequestHandler extends DefaultRequestHandler {
  constructor(card: AgentCard, private readonly store: GoalTaskStore, executor: GoalExecutor, private readonly goals: GoalsService, private readonly pushes: GoalPushes) {
    super(card, store, executor, executor.buses, pushes, GoalPushes.sdkSender);
  }

  override async sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    await this.check(params, context);
    return super.sendMessage(params, context);
  }

  override async *sendMessageStream(params: SendMessageRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    await this.check(params, context);
    yield* super.sendMessageStream(params, context);
  }

  /**
   * A new task's message must make a goal; a message in a task is text for the coordinator of its running goal; a
   * push notification config with it must be one `GoalPushes` keeps. A refusal is an A2A error and changes nothing
   * (the SDK would otherwise have added the message to the history, and made the task's event bus).
   */
  private async check({ message, configuration }: SendMessageRequest, context: ServerCallContext): Promise<void> {
    if (!message) return; // the SDK refuses it
    if (message.contextId.length > CONTEXT_ID_MAX) throw new RequestMalformedError(`contextId: at most ${CONTEXT_ID_MAX} characters`);
    const push = configuration?.taskPushNotificationConfig;
    if (!message.taskId) {
      goalRequest(message);
      if (push) await this.pushes.check(null, push);
      return;
    }
    const text = textOf(message);
    if (!text || text.length > ENVELOPE_LIMITS.contentMax) throw new RequestMalformedError(`a message in a task is text for the coordinator: 1 to ${ENVELOPE_LIMITS.contentMax} characters`);
    try {
      await this.goals.assertMessage(principalOf(context), message.taskId);
    } catch (e) {
      const error = toApiError(e);
      if (error.code === ErrorCode.CONFLICT) throw new UnsupportedOperationError(error.message);
      if (error.code === ErrorCode.NOT_FOUND || error.code === ErrorCode.FORBIDDEN) throw new TaskNotFoundError(`Task not found: ${message.taskId}`);
      throw e;
    }
    if (push) await this.pushes.check(message.taskId, push);
  }

  /** As the SDK makes it, but its token and credentials not echoed (never returned, as `GetTaskPushNotificationConfig`). */
  override async createTaskPushNotificationConfig(params: TaskPushNotificationConfig, context: ServerCallContext): Promise<TaskPushNotificationConfig> {
    return redacted(await super.createTaskPushNotificationConfig(params, context));
  }

  override async cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    const p = principalOf(context);
    const task = await this.store.load(params.id, context);
    if (task?.status && !ENDED_STATES.has(task.status.state)) {
      await this.goals.assertCancel(p, params.id);
      // Refused only if the goal settled meanwhile: the SDK then says the task is not cancelable.
      await this.goals.cancel(params.id, p).catch((e) => {
        if (toApiError(e).code !== ErrorCode.CONFLICT) throw e;
      });
    }
    return super.cancelTask(params, context);
  }
}

