import { Injectable } from '@nestjs/common';
import type { ServerEvents } from '@ioa/protocol';
import { GoalRepository } from '../../data/goals/goal-repository';
import { GroupHost } from '../session/group-host';
import { GroupRead } from '../session/live-group';
import { isPendingNode, isSettled } from '../session/task-book';
import { owedRollback } from '../session/rollback-acks';
import { taskView, turnEvent } from '../session/views';
import { inviteEvent } from './forming-steps';
import { GoalHandovers } from './goal-handovers';

/** A server event with its payload, as sent to one socket. */
export type OwedEvent = { [E in keyof ServerEvents]: { event: E; payload: Parameters<ServerEvents[E]>[0] } }[keyof ServerEvents];

/**
 * What an agent still owes an answer to, sent again to a socket that (re)connects or subscribes, so that a client
 * never has to poll REST to catch up: its pending goals, its pending invites, the turns it holds and its open tasks.
 * Each is the same event as when it was first sent; clients drop what they already handled by `goal_id`,
 * `invite_id`, the turn's `seq` and the task's `id` with its `updated_at`.
 */
@Injectable()
export class OwedEvents {
  constructor(private readonly host: GroupHost, private readonly goals: GoalRepository, private readonly handovers: GoalHandovers) {}

  /** On (re)connect: everything, in every goal and every group this node runs (other nodes send theirs: `inGroupsHere`). */
  async forAgent(agentId: string): Promise<OwedEvent[]> {
    const out: OwedEvent[] = (await this.goals.pending(agentId)).map((g) => ({ event: 'goal', payload: this.handovers.event(g) }));
    return [...out, ...this.inGroupsHere(agentId)];
  }

  /** Pending invites, turns and open tasks of the agent in the groups this node runs. */
  inGroupsHere(agentId: string): OwedEvent[] {
    const out: OwedEvent[] = [];
    for (const group of this.host.groups()) {
      for (const slot of group.row.decision?.needs ?? []) {
        for (const i of slot.invites) if (i.status === 'pending' && i.agent_id === agentId) out.push({ event: 'invite', payload: inviteEvent(group.row, slot, i) });
      }
      out.push(...this.inGroup(agentId, group));
    }
    return out;
  }

  /** After a subscription's replay: the turn it holds and its open tasks in that group. */
  inGroup(agentId: string, group: GroupRead | string | undefined): OwedEvent[] {
    const g = typeof group === 'string' ? this.host.get(group) : group;
    if (!g || !g.members.includes(agentId)) return [];
    const out: OwedEvent[] = [];
    if (g.holders.includes(agentId)) out.push({ event: 'turn', payload: turnEvent(g) });
    const rollback = owedRollback(g, agentId);
    if (rollback) out.push({ event: 'rollback', payload: rollback });
    for (const t of g.tasks.values()) {
      if (!isSettled(t) && !isPendingNode(t) && t.assignee.includes(agentId)) out.push({ event: 'task', payload: taskView(t, g.row, { role: 'admin', id: 'admin' }, g.tasks) });
    }
    return out;
  }
}
