import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ClientHeaderDto, SessionEnvelope, ServerEvents } from '@ioa/protocol';
import { GoalEntity } from '../../apps/server/src/data/goals/goal.entity';
import { GoalRepository } from '../../apps/server/src/data/goals/goal-repository';
import { GoalWatchers } from '../../apps/server/src/interaction/team-formation/goal-watchers';
import { SqliteGroupCommitter } from '../../apps/server/src/data/groups/group-committer';
import { GroupStore } from '../../apps/server/src/data/groups/group-store';
import { loadConfig } from '../../apps/server/src/foundation/config/config';
import { ConfigService } from '../../apps/server/src/foundation/config/config.service';
import { Emitter, Target } from '../../apps/server/src/foundation/network/emitter.port';
import { ENTITIES, MIGRATIONS } from '../../apps/server/src/foundation/persistence/data-source';
import { RowWriter } from '../../apps/server/src/foundation/persistence/row-writer';
import { IdGenerator } from '../../apps/server/src/foundation/runtime/runtime.module';
import { Principal } from '../../apps/server/src/foundation/security/principal';
import { GroupHost } from '../../apps/server/src/interaction/session/group-host';
import { GroupSpec } from '../../apps/server/src/interaction/session/group-spec';
import { AssigneePresenceHandler } from '../../apps/server/src/interaction/session/handlers/assignee-presence.handler';
import { ChangeMembersHandler } from '../../apps/server/src/interaction/session/handlers/change-members.handler';
import { CloseHandler } from '../../apps/server/src/interaction/session/handlers/close.handler';
import { ExpireDeadlinesHandler } from '../../apps/server/src/interaction/session/handlers/expire-deadlines.handler';
import { SendMessageHandler } from '../../apps/server/src/interaction/session/handlers/send-message.handler';
import { SettleParentTaskHandler } from '../../apps/server/src/interaction/session/handlers/settle-parent-task.handler';
import { SubscribeHandler } from '../../apps/server/src/interaction/session/handlers/subscribe.handler';
import { digestOf, SessionEngine } from '../../apps/server/src/interaction/session/session-engine';
import { SessionEvents } from '../../apps/server/src/interaction/session/session-events';
import { SessionTimers } from '../../apps/server/src/interaction/session/session-timers';
import { FormingSteps } from '../../apps/server/src/interaction/team-formation/forming-steps';
import { InviteMemberHandler } from '../../apps/server/src/interaction/team-formation/handlers/invite-member.handler';
import { ReplyInviteHandler } from '../../apps/server/src/interaction/team-formation/handlers/reply-invite.handler';
import { StartFormingHandler } from '../../apps/server/src/interaction/team-formation/handlers/start-forming.handler';
import { StartSubteamHandler } from '../../apps/server/src/interaction/team-formation/handlers/start-subteam.handler';
import { ManualClock, ManualScheduler } from '../doubles/manual-time';
import { Metrics } from '../../apps/server/src/foundation/metrics/metrics';
import { DataKeys } from '../../apps/server/src/foundation/security/data-key';
import { People } from '../../apps/server/src/data/people/people';
import { AgentRegistry } from '../../apps/server/src/data/registry/agent-registry.service';
import { AgentEntity } from '../../apps/server/src/data/registry/agent.entity';
import { PersonEntity } from '../../apps/server/src/data/people/person.entity';
import { ApprovalSteps } from '../../apps/server/src/interaction/session/approval-steps';
import { Checkpoints } from '../../apps/server/src/interaction/session/checkpoints';
import { RollbackSteps } from '../../apps/server/src/interaction/session/rollback-steps';

/** Everything the emitter was asked to send, in order (the socket.io server is not part of a unit test). */
export class RecordingEmitter extends Emitter {
  readonly sent: Array<{ target: Target; event: keyof ServerEvents; args: unknown[] }> = [];
  readonly left: Array<{ of: string; rooms: string[] }> = [];

  emit<E extends keyof ServerEvents>(target: Target, event: E, ...args: Parameters<ServerEvents[E]>): void {
    this.sent.push({ target, event, args });
  }

  readonly joined: Array<{ of: string; rooms: string[] }> = [];

  join(of: string, rooms: string[]): void {
    this.joined.push({ of, rooms });
  }

  leave(of: string, rooms: string[]): void {
    this.left.push({ of, rooms });
  }

  disconnect(): void {
    return undefined;
  }
}

export const agent = (id: string): Principal => ({ role: 'agent', id, jti: null });

/**
 * The group host as the server builds it — the real engine, every command handler, the timers, a real SQLite file
 * with the real migrations — with time driven by the test (`ManualClock`/`ManualScheduler`) and the socket server
 * replaced by a recording emitter.
 */
export async function sessionHost(env: Record<string, string> = {}, options: { cluster?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-host-'));
  const ds = new DataSource({ type: 'better-sqlite3', database: join(dir, 'ioa.sqlite'), entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true });
  await ds.initialize();
  const writer = new RowWriter(ds);
  const store = new GroupStore(ds, writer, new SqliteGroupCommitter(writer.sqlite!));
  const values = loadConfig({ IOA_DATA_DIR: dir, ...env });
  // Several nodes over one database, without Redis: leases, takeover and fencing, but nothing forwarded.
  const config = new ConfigService(options.cluster ? { ...values, nodeId: 'node-1', cluster: { redisUrl: 'redis://unused', nodeLapseS: 10, forwardTimeoutMs: 1000 } } : values);
  const clock = new ManualClock();
  const scheduler = new ManualScheduler(clock);
  let n = 0;
  const ids = { next: () => `id-${++n}` } as IdGenerator;
  const emitter = new RecordingEmitter();
  /**
   * One server process's session layer over the shared database; `boot: false` leaves the start-up hooks to the test;
   * `as` names another node (several nodes share the database).
   */
  const node = async (boot = true, as?: string) => {
    const config = as ? new ConfigService({ ...base.values, nodeId: as }) : base;
    const events = new SessionEvents();
    const engine = new SessionEngine(clock, ids, emitter, events);
    const host = new GroupHost(store, engine, clock, events, ids, config, new Metrics());
    const forming = new FormingSteps(host, events, engine, emitter, config, clock, ids);
    const checkpoints = new Checkpoints(engine, events, new DataKeys('session-host-data-key-0123456789'), config, clock, ids);
    forming.onModuleInit();
    for (const h of [
      new SendMessageHandler(engine, store, clock, ids, checkpoints, new RollbackSteps(engine, checkpoints, store, emitter, clock, new AgentRegistry(ds.getRepository(AgentEntity), clock, ids, writer), config), new People(ds.getRepository(PersonEntity), writer)), new ChangeMembersHandler(engine, clock), new CloseHandler(engine),
      new ExpireDeadlinesHandler(engine, events, new ApprovalSteps(engine, events, emitter, clock), config, clock), new AssigneePresenceHandler(engine, clock, config), new SettleParentTaskHandler(engine, clock),
      new SubscribeHandler(store), new StartFormingHandler(engine, forming, clock, new GoalWatchers(new GoalRepository(ds.getRepository(GoalEntity)), emitter)), new InviteMemberHandler(engine, forming), new ReplyInviteHandler(host, engine, forming, clock),
      new StartSubteamHandler(host, engine),
    ]) host.register(h as never);
    const timers = new SessionTimers(host, store, clock, scheduler, config, events);
    if (boot) {
      await host.onApplicationBootstrap();
      await timers.onApplicationBootstrap();
      await forming.onApplicationBootstrap();
    }
    return { events, engine, host, forming, timers };
  };
  const base = config;
  let current = await node();
  const start = clock.now();

  /** Opens a group in `discussion` (coordinator first in `members`), as `POST /v1/groups` does. */
  const open = async (spec: Partial<GroupSpec> & { members: string[] }) => {
    const { group } = await current.host.create({ id: ids.next(), createdBy: spec.members[0], goal: 'g', coordinator: spec.members[0], teamUpDepth: 0, ...spec });
    return group;
  };
  const forming = (id: string, candidates: string[], o: { formingMs?: number; goalId?: string | null; by?: string; parent?: { group: string; task: string } } = {}) => {
    const by = o.by ?? 'coord';
    const needs = [{ need: 'x', count: 1, candidates: candidates.map((a) => ({ agent_id: a, score: 1, matched: '', contact: false })), invites: [] }];
    const spec: GroupSpec = {
      id, createdBy: by, goal: 'g', coordinator: by, members: [by], teamUpDepth: 0, goalId: o.goalId ?? null, parentGroupId: o.parent?.group ?? null,
      parentTaskId: o.parent?.task ?? null, forming: { deadline: clock.now() + (o.formingMs ?? 60_000), decision: { requester: by, outcome: 'forming', needs } },
    };
    const first = { type: 'start_forming', group_id: id, by, payload: { goal: 'g', team_members: [] } as never, message_id: `tf-${id}`, digest: 'd' } as const;
    return { spec, first };
  };
  /** Creates a group in `forming` as team formation does: one slot asking these candidates in turn. */
  const form = async (id: string, candidates: string[], o: { formingMs?: number; goalId?: string | null } = {}) => {
    const { spec, first } = forming(id, candidates, o);
    await current.host.create(spec, first);
    return id;
  };
  /** Forms a sub-team for a parent group's task, as a member holding it does. */
  const formSubteam = (id: string, parent: { group: string; task: string }, by: string, candidates: string[]) =>
    current.host.execute({ type: 'start_subteam', group_id: parent.group, task_id: parent.task, requester: by, subteam: forming(id, candidates, { by, parent }) });
  let m = 0;
  /** Sends a protocol message as `by`; the digest is computed as the gateway computes it. */
  const send = <E extends SessionEnvelope>(by: string, group: string, type: E['type'], payload: E['payload'], messageId = `m${++m}`) => {
    const header = { type, message_id: messageId, group_id: group } as ClientHeaderDto;
    const envelope = { type, header, payload } as SessionEnvelope;
    return current.host.execute({ type: 'send_message', group_id: group, by: agent(by), envelope, digest: digestOf(type, payload, undefined) });
  };
  /** The group's `system` events as stored, with the time since start each was stored at. */
  const system = async (group: string) => (await store.messages(group, 0, 1000))
    .filter((x) => x.type === 'system').map((x) => `${x.payload.event}@${x.timestamp - start}`);
  const goal = (id: string) => ds.getRepository(GoalEntity).findOneBy({ id });
  const stop = async () => {
    await current.timers.onApplicationShutdown();
    await current.host.onApplicationShutdown();
  };
  /** Stops this node and starts another on the same database, as a restart does. */
  const restart = async (boot = true) => {
    await stop();
    current = await node(boot);
    return current;
  };
  /** Makes every commit fail (a trigger refuses new messages) until the returned function is called. */
  const failCommits = async () => {
    await ds.query(`CREATE TRIGGER fail_commits BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'database unavailable'); END`);
    return () => ds.query('DROP TRIGGER fail_commits');
  };
  const close = async () => {
    await stop();
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    ds, store, config, clock, scheduler, emitter, node, open, form, formSubteam, send, system, goal, restart, failCommits, close, start,
    get host() { return current.host; }, get timers() { return current.timers; }, get forming() { return current.forming; }, get events() { return current.events; },
  };
}
