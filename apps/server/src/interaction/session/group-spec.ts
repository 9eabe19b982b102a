import { SESSION_DEFAULTS } from '@ioa/protocol';
import { GroupEntity } from '../../data/groups/group.entity';
import { SESSION_MACHINE_VERSION } from './session.machine';

/** What a new group is made of (plain data: team formation builds one to create a sub-team from another group's step). */
export interface GroupSpec {
  id: string;
  createdBy: string;
  goal: string;
  coordinator: string;
  members: string[];
  maxTurns?: number;
  teamUpDepth: number;
  options?: Partial<GroupEntity['options']>;
  goalId?: string | null;
  parentGroupId?: string | null;
  parentTaskId?: string | null;
  level?: number;
  /** A group formed by team formation waits in `forming` until this deadline at the latest. */
  forming?: { deadline: number; decision: NonNullable<GroupEntity['decision']> };
  /** Members who are people (an admin named them). */
  humans?: string[];
}

/** The stored row of a group about to be created by `holder`: in `forming`, or in `discussion` at once. */
export function newGroupRow(spec: GroupSpec, now: number, holder: string): GroupEntity {
  const o = spec.options ?? {};
  return Object.assign(new GroupEntity(), {
    id: spec.id, goal: spec.goal, createdBy: spec.createdBy, coordinator: spec.coordinator, members: spec.members,
    state: spec.forming ? 'forming' : 'discussion', machineVersion: SESSION_MACHINE_VERSION, snapshot: null, lastSeq: 0, turnsUsed: 0,
    maxTurns: spec.maxTurns ?? SESSION_DEFAULTS.max_turns,
    options: {
      turn_timeout_s: o.turn_timeout_s ?? SESSION_DEFAULTS.turn_timeout_s,
      coordinator_timeout_s: o.coordinator_timeout_s ?? SESSION_DEFAULTS.coordinator_timeout_s,
      conclusion_wait_s: o.conclusion_wait_s ?? SESSION_DEFAULTS.conclusion_wait_s,
      human_turn_timeout_s: o.human_turn_timeout_s ?? SESSION_DEFAULTS.human_turn_timeout_s,
    },
    turnDeadline: null, conclusionDeadline: null, closeReason: null, goalId: spec.goalId ?? null, parentGroupId: spec.parentGroupId ?? null,
    parentTaskId: spec.parentTaskId ?? null, level: spec.level ?? 0, teamUpDepth: spec.teamUpDepth, formingDeadline: spec.forming?.deadline ?? null,
    decision: spec.forming?.decision ?? null, pause: null, humans: spec.humans ?? [], rollbackAcks: null, heldBy: holder, fence: 1, createdAt: now, updatedAt: now,
  });
}
