import { Injectable } from '@nestjs/common';
import { InternalEvents } from '../../foundation/runtime/internal-events';
import type { Deadline } from './deadlines';
import type { TaskEntity } from '../../data/tasks/task.entity';
import type { Batch, GroupRead, LiveGroup } from './live-group';

/** What happens to open groups, for the services that follow them (typed as the socket events are). */
export interface SessionEventMap {
  /** A step on an open group was stored and delivered: the timers re-arm its deadlines. */
  committed: (group: GroupRead) => void;
  /** After a step's commit: the coordinator of goal `goalId`'s root team asked its requester (`ask_requester`). */
  requesterAsked: (goalId: string, question: string, at: number) => void;
  /** A group closed and its close is stored: goals pass its result up the team tree. */
  closed: (group: GroupRead) => void;
  /** This node took an open group (at start-up, or over from a node that died or shut down): its timers arm. */
  taken: (group: GroupRead) => void;
  /** Another node took a group from this one (found at a refused commit): nothing here runs it any more. */
  lost: (group: GroupRead) => void;
  /**
   * Under the group's lock, a subscription from a socket on another node finished its replay here: what the agent
   * owes in the group (its turn, its open tasks) goes to that socket, as a local subscription's `replayed` sends it.
   */
  replayedElsewhere: (group: GroupRead, agentId: string, socketId: string) => void;
  /**
   * Within an `expire_deadlines` step, invite deadlines (of a forming or an open group) or the forming deadline passed:
   * team formation's forming steps (part of the host's handlers, hence the live group) decide what follows.
   */
  invitesDue: (live: LiveGroup, batch: Batch, due: Deadline[]) => void;
  /**
   * Within a step, a graph node failed under `policy: "reassign"` with assignees left (it is `ready`): team formation
   * gives it to the next candidate for its need (a member at once, anyone else once it accepts an invite), or, with
   * none left, lets its failure stand (`giveUpReassign`: the graph steps on it again).
   */
  nodeReassign: (live: LiveGroup, batch: Batch, task: TaskEntity) => void;
  /**
   * After a step's commit: nobody waits any more for the sub-teams working for task `taskId` of group `groupId` (it is
   * stored `canceled`, or a rollback restarted it): they close, `why` being their close note.
   */
  subteamsAbandoned: (groupId: string, taskId: string, why: string) => void;
  /**
   * At the end of a step in which graph nodes settled or approvals began to wait (`batch.settledGraphs`,
   * `batch.openedApprovals`), before its commit: a checkpoint may be taken.
   */
  graphsMoved: (live: LiveGroup, batch: Batch) => void;
  /** A step that changed an approval node was delivered: those who may decide it hear of it. */
  approvalChanged: (live: GroupRead, task: TaskEntity) => void;
}

@Injectable()
export class SessionEvents extends InternalEvents<SessionEventMap> {}
