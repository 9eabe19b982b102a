import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StreamResponse, TaskPushNotificationConfig } from '@a2a-js/sdk';
import { V03PushNotificationSerializer } from '@a2a-js/sdk/compat/v0_3/server';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { PushNotificationSender, PushNotificationStore, ServerCallContext, V1PushNotificationSerializer } from '@a2a-js/sdk/server';
import { LIMITS } from '@ioa/protocol';
import { GoalEntity } from '../../../data/goals/goal.entity';
import { PushConfigEntity } from '../../../data/goals/push-config.entity';
import { PushConfigs } from '../../../data/goals/push-configs';
import { ConfigService } from '../../../foundation/config/config.service';
import { OutboundPolicy } from '../../../foundation/integration/outbound';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { DataKeys } from '../../../foundation/security/data-key';
import { GoalWatchers } from '../../team-formation/goal-watchers';
import { taskOf } from './goal-task';

/** Configs one task may have, and how long a token or credentials may be. */
const CONFIGS_PER_TASK = 4;
const SECRET_MAX = 4096;
/** A webhook answers within this long (or `IOA_A2A_TIMEOUT_S`, if shorter): a goal's later pushes wait on it. */
const PUSH_TIMEOUT_S = 10;
const SERIALIZERS = { '1.0': new V1PushNotificationSerializer(), '0.3': new V03PushNotificationSerializer() };

/** What authenticates a push, as the client gave it (sealed in the row). */
interface Secrets {
  token: string;
  scheme: string;
  credentials: string;
}

/**
 * A2A push notifications on the goal rows. The configs are kept on the database (`a2a_push_configs`), their token and
 * credentials sealed and never returned. Each change of an A2A goal that a node announces (`GoalWatchers`: submitted,
 * team formed, a question for the requester and its answer, sub-teams, settled) is pushed by that node, as the whole
 * task, to each URL of the goal, in order, under the outbound rules (`IOA_A2A_ALLOWED_HOSTS`, public addresses at
 * connect time, no redirects) that hosted agents' calls follow; the URL is checked against them when it is given.
 * A push that fails is logged and not tried again: a client reads the task (`GetTask`) to catch up.
 */
@Injectable()
export class GoalPushes implements PushNotificationStore, OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('a2a-push');
  /** Per goal, the pushes in flight, so that a goal's changes arrive in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly rows: PushConfigs,
    private readonly watchers: GoalWatchers,
    private readonly policy: OutboundPolicy,
    private readonly keys: DataKeys,
    private readonly config: ConfigService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.watchers.listen((goal) => this.changed(goal));
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  /** The SDK's own sender is replaced by this class's (it would fetch any URL): nothing to do when the SDK asks. */
  static readonly sdkSender: PushNotificationSender = { send: async () => undefined };

  /** Called by the SDK once it checked that the caller may read the task (or, for a new task, before it exists). */
  async save(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig): Promise<void> {
    const refused = config.url.length > LIMITS.urlMax ? `at most ${LIMITS.urlMax} characters` : this.policy.refusal(config.url);
    if (refused) throw new RequestMalformedError(`push notification url: ${refused}`);
    const secrets: Secrets = { token: config.token ?? '', scheme: config.authentication?.scheme ?? '', credentials: config.authentication?.credentials ?? '' };
    if (Object.values(secrets).some((s) => s.length > SECRET_MAX)) throw new RequestMalformedError(`push notification token and credentials: at most ${SECRET_MAX} characters each`);
    const existing = await this.rows.ofGoal(taskId);
    if (config.id && config.id.length > 64) throw new RequestMalformedError('push notification config id: at most 64 characters');
    if (!existing.some((r) => r.id === config.id) && existing.length >= CONFIGS_PER_TASK) {
      throw new RequestMalformedError(`a task has at most ${CONFIGS_PER_TASK} push notification configs; delete one first`);
    }
    // The SDK reads the id it gave back from the same object.
    config.id ||= randomUUID();
    const previous = existing.find((r) => r.id === config.id);
    await this.rows.save({
      id: config.id, goalId: taskId, url: config.url, secrets: this.keys.seal(JSON.stringify(secrets)),
      wireVersion: context.requestedVersion?.startsWith('0.') ? '0.3' : '1.0', createdAt: previous?.createdAt ?? this.clock.now(),
    });
  }

  /** The task's configs, without their token and credentials (never returned). */
  async load(taskId: string): Promise<TaskPushNotificationConfig[]> {
    return (await this.rows.ofGoal(taskId)).map((r) => {
      const { scheme } = this.secretsOf(r);
      return { tenant: '', id: r.id, taskId, url: r.url, token: '', authentication: scheme ? { scheme, credentials: '' } : undefined };
    });
  }

  async delete(taskId: string, _context: ServerCallContext, configId?: string): Promise<void> {
    await this.rows.remove(taskId, configId);
  }

  /** A goal submitted by a message whose goal could not be made: its configs go with it. */
  forget(taskId: string): Promise<void> {
    return this.rows.remove(taskId);
  }

  private changed(goal: GoalEntity): void {
    if (!goal.a2a || this.stopping) return;
    const before = this.chains.get(goal.id) ?? Promise.resolve();
    const next = before.then(() => this.push(goal)).catch((e: Error) => this.logger.warn(`task ${goal.id}: ${e.message}`));
    this.chains.set(goal.id, next);
    void next.finally(() => this.chains.get(goal.id) === next && this.chains.delete(goal.id));
  }

  private async push(goal: GoalEntity): Promise<void> {
    const configs = await this.rows.ofGoal(goal.id);
    if (!configs.length) return;
    const task = taskOf(goal);
    const event: StreamResponse = { payload: { $case: 'task', value: task } };
    await Promise.all(configs.map(async (row) => {
      try {
        const { body, contentType } = SERIALIZERS[row.wireVersion as keyof typeof SERIALIZERS].serialize(event, task);
        const { token, scheme, credentials } = this.secretsOf(row);
        const headers: Record<string, string> = { 'content-type': contentType };
        if (scheme && credentials) headers.authorization = `${scheme} ${credentials}`;
        else if (token) headers['x-a2a-notification-token'] = token;
        const res = await this.policy.fetch(row.url, { method: 'POST', headers, body, timeoutMs: Math.min(PUSH_TIMEOUT_S, this.config.values.a2a.timeoutS) * 1000 });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } catch (e) {
        this.logger.warn(`push of task ${goal.id} to ${row.url} failed: ${(e as Error).message}`);
      }
    }));
  }

  private secretsOf(row: PushConfigEntity): Secrets {
    return JSON.parse(this.keys.open(row.secrets)) as Secrets;
  }
}

/** A config as a client may read it back: its token and credentials blank. */
export function redacted(config: TaskPushNotificationConfig): TaskPushNotificationConfig {
  return { ...config, token: '', authentication: config.authentication?.scheme ? { scheme: config.authentication.scheme, credentials: '' } : undefined };
}
