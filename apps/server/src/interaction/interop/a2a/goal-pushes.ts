import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { StreamResponse, TaskPushNotificationConfig } from '@a2a-js/sdk';
import { V03PushNotificationSerializer } from '@a2a-js/sdk/compat/v0_3/server';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { PushNotificationSender, PushNotificationStore, ServerCallContext, V1PushNotificationSerializer } from '@a2a-js/sdk/server';
import { LIMITS } from '@ioa/protocol';
import { GoalRepository } from '../../../data/goals/goal-repository';
import { PushConfigEntity } from '../../../data/goals/push-config.entity';
import { PushConfigs } from '../../../data/goals/push-configs';
import { ConfigService } from '../../../foundation/config/config.service';
import { OutboundPolicy } from '../../../foundation/integration/outbound';
import { KeyedQueue } from '../../../foundation/runtime/keyed-queue';
import { Clock } from '../../../foundation/runtime/runtime.module';
import { DataKeys } from '../../../foundation/security/data-key';
import { GoalWatchers } from '../../team-formation/goal-watchers';
import { isSettled, taskOf } from './goal-task';

/** Configs one task may have, and how long a token or credentials may be. */
const CONFIGS_PER_TASK = 4;
const SECRET_MAX = 4096;
/** A webhook answers within this long (or `IOA_A2A_TIMEOUT_S`, if shorter): a goal's later pushes wait on it. */
const PUSH_TIMEOUT_S = 10;
/** Goals whose last push is remembered (a settled goal's included, so a late announcement pushes nothing). */
const PUSHED_KEPT = 10_000;
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
 * task as stored when its turn comes, to each URL of the goal, under outbound rules of their own
 * (`IOA_A2A_PUSH_ALLOWED_HOSTS`, since any client names these URLs; public addresses at connect time unless an IP
 * or CIDR entry allows more; no redirects), checked when the URL is given too.
 * A push that fails is logged and not tried again: a client reads the task (`GetTask`) to catch up.
 */
@Injectable()
export class GoalPushes implements PushNotificationStore, OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('a2a-push');
  private readonly policy: OutboundPolicy;
  /** Per goal, the pushes one after another; and the goals whose next push has not started yet. */
  private readonly queue = new KeyedQueue();
  private readonly waiting = new Set<string>();
  /** Per goal, a digest of what its last push said, not to push the same task twice (the oldest forgotten first). */
  private readonly pushed = new Map<string, string>();
  private stopping = false;

  constructor(
    private readonly rows: PushConfigs,
    private readonly goals: GoalRepository,
    private readonly watchers: GoalWatchers,
    private readonly keys: DataKeys,
    private readonly config: ConfigService,
    private readonly clock: Clock,
  ) {
    this.policy = new OutboundPolicy(config.values.a2a.pushHosts, 'IOA_A2A_PUSH_ALLOWED_HOSTS');
  }

  onModuleInit(): void {
    this.watchers.listen((goal) => goal.a2a && this.changed(goal.id));
  }

  /** Pushes in flight are abandoned. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.policy.dispatcher.destroy().catch(() => undefined);
  }

  /** The SDK's own sender is replaced by this class's (it would fetch any URL): nothing to do when the SDK asks. */
  static readonly sdkSender: PushNotificationSender = { send: async () => undefined };

  /**
   * Why `config` may not be kept for `taskId` (null: a task not made yet), as `invalid params`: a URL the rules refuse,
   * secrets too long, a goal that is no A2A task or has ended, a fifth config. Checked before a message is taken.
   */
  async check(taskId: string | null, config: TaskPushNotificationConfig): Promise<PushConfigEntity[]> {
    const url: unknown = config.url;
    const refused = typeof url !== 'string' || !url ? 'required' : url.length > LIMITS.urlMax ? `at most ${LIMITS.urlMax} characters` : this.policy.refusal(url);
    if (refused) throw new RequestMalformedError(`push notification url: ${refused}`);
    const texts: unknown[] = [config.id, config.token, config.authentication?.scheme, config.authentication?.credentials];
    if (texts.some((t) => t !== undefined && t !== null && typeof t !== 'string')) throw new RequestMalformedError('push notification id, token and authentication: strings');
    if ([config.token, config.authentication?.scheme, config.authentication?.credentials].some((t) => (t?.length ?? 0) > SECRET_MAX)) {
      throw new RequestMalformedError(`push notification token and credentials: at most ${SECRET_MAX} characters each`);
    }
    if ((config.id?.length ?? 0) > 64) throw new RequestMalformedError('push notification config id: at most 64 characters');
    if (!taskId) return [];
    const goal = await this.goals.get(taskId);
    if (goal && !goal.a2a) throw new RequestMalformedError(`goal ${taskId} was not submitted over A2A: it has no pushes`);
    if (goal && isSettled(goal)) throw new RequestMalformedError(`task ${taskId} has ended: it changes no more`);
    const existing = await this.rows.ofGoal(taskId);
    if (!existing.some((r) => r.id === config.id) && existing.length >= CONFIGS_PER_TASK) {
      throw new RequestMalformedError(`a task has at most ${CONFIGS_PER_TASK} push notification configs; delete one first`);
    }
    return existing;
  }

  /** Called by the SDK once it checked that the caller may read the task (or, for a new task, before it exists). */
  async save(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig): Promise<void> {
    const existing = await this.check(taskId, config);
    // The SDK reads the id it gave back from the same object.
    config.id ||= randomUUID();
    const secrets: Secrets = { token: config.token ?? '', scheme: config.authentication?.scheme ?? '', credentials: config.authentication?.credentials ?? '' };
    await this.rows.save({
      id: config.id, goalId: taskId, url: config.url, secrets: this.keys.seal(JSON.stringify(secrets)),
      wireVersion: context.requestedVersion?.startsWith('0.') ? '0.3' : '1.0', createdAt: existing.find((r) => r.id === config.id)?.createdAt ?? this.clock.now(),
    });
  }

  /** The task's configs, without their token and credentials (never returned). */
  async load(taskId: string): Promise<TaskPushNotificationConfig[]> {
    return (await this.rows.ofGoal(taskId)).map((r) => {
      const { scheme } = this.secretsOf(r);
      return { tenant: '', id: r.id, taskId, url: r.url, token: '', authentication: scheme ? { scheme, credentials: '' } : undefined };
    });
  }

  /** One config, named by its id (a delete without one is refused rather than taken for all). */
  async delete(taskId: string, _context: ServerCallContext, configId?: string): Promise<void> {
    if (!configId) throw new RequestMalformedError('the id of the push notification config to delete is required');
    await this.rows.remove(taskId, configId);
  }

  /** A goal submitted by a message whose goal could not be made: its configs go with it. */
  forget(taskId: string): Promise<void> {
    return this.rows.remove(taskId);
  }

  private changed(goalId: string): void {
    // A push not started yet reads the goal when it starts: it tells this change too.
    if (this.stopping || this.waiting.has(goalId)) return;
    this.waiting.add(goalId);
    void this.queue.run(goalId, () => {
      this.waiting.delete(goalId);
      return this.push(goalId);
    }).catch((e: Error) => this.logger.warn(`task ${goalId}: ${e.message}`));
  }

  /** The goal as stored now (so a late announcement never pushes an older state), unless it was pushed just so. */
  private async push(goalId: string): Promise<void> {
    if (this.stopping) return;
    const configs = await this.rows.ofGoal(goalId);
    const goal = configs.length ? await this.goals.get(goalId) : null;
    if (!goal) {
      this.pushed.delete(goalId);
      return;
    }
    const task = taskOf(goal);
    // What the task says (a status message's id is made anew at each read).
    const { state, timestamp, message } = task.status ?? {};
    const said = createHash('sha256').update(JSON.stringify([state, timestamp, message?.parts, task.artifacts.length])).digest('base64url');
    if (this.pushed.get(goalId) === said) return;
    this.pushed.delete(goalId);
    this.pushed.set(goalId, said);
    if (this.pushed.size > PUSHED_KEPT) this.pushed.delete(this.pushed.keys().next().value as string);
    const event: StreamResponse = { payload: { $case: 'task', value: task } };
    await Promise.all(configs.map(async (row) => {
      // The URL's origin and the config's id only: a path or a query may carry a token.
      const where = `${new URL(row.url).origin} (config ${row.id})`;
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
        this.logger.warn(`push of task ${goalId} to ${where} failed: ${(e as Error).message.replaceAll(row.url, where)}`);
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
