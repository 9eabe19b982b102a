import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { GROUP_LIMITS, PageQueryDto } from './groups.dto';
import { GOAL_STATUSES, GoalStatus } from './views';
import { IsOptionalNotNull } from './validators';

export const TEAM_LIMITS = { needMax: 500, countMax: 8, depthMax: 5, acceptTimeoutMaxS: 86_400 } as const;

/** A team member asked for by id, or a need in words that the server resolves by meaning. */
export type TeamMemberSpec = string | { need: string; count?: number };

function IsTeamMemberList(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTeamMemberList',
      target: target.constructor,
      propertyName,
      options: { message: `$property entries must be agent ids or { need: string (<= ${TEAM_LIMITS.needMax}), count?: 1..${TEAM_LIMITS.countMax} }`, ...options },
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.every((m) => {
            if (typeof m === 'string') return m.length > 0 && m.length <= 64;
            if (!m || typeof m !== 'object' || Array.isArray(m)) return false;
            const { need, count, ...rest } = m as Record<string, unknown>;
            const countOk = count === undefined || (Number.isInteger(count) && (count as number) >= 1 && (count as number) <= TEAM_LIMITS.countMax);
            return Object.keys(rest).length === 0 && typeof need === 'string' && need.trim().length > 0 && need.length <= TEAM_LIMITS.needMax && countOk;
          }),
      },
    });
}

/** Payload of `team_formation` (socket) and body of `POST /v1/teams`. */
export class TeamFormationPayload {
  @IsString() @IsNotEmpty() @MaxLength(GROUP_LIMITS.goalMax)
  goal: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(GROUP_LIMITS.membersMax) @IsTeamMemberList()
  team_members: TeamMemberSpec[];

  /** Levels still allowed below the new group; at most the parent's minus one. */
  @IsOptionalNotNull() @IsInt() @Min(0) @Max(TEAM_LIMITS.depthMax)
  team_up_depth?: number;

  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GROUP_LIMITS.maxTurnsMax)
  max_turns?: number;

  /** Links a root team to its goal. */
  @IsOptionalNotNull() @IsString() @MaxLength(64)
  goal_id?: string;

  /** The task (held by the requester) that this sub-team works on. */
  @IsOptionalNotNull() @IsString() @MaxLength(64)
  parent_task_id?: string;

  /** Also consider agents already in an ancestor group (default false: see docs/architecture.md, Team formation). */
  @IsOptionalNotNull() @IsBoolean()
  allow_ancestor_members?: boolean;
}

export class InviteReplyDto {
  @IsString() @IsNotEmpty() @MaxLength(64)
  invite_id: string;

  @IsBoolean()
  accept: boolean;

  @IsOptionalNotNull() @IsString() @MaxLength(1000)
  reason?: string;
}

export class CreateGoalDto {
  @IsString() @IsNotEmpty() @MaxLength(GROUP_LIMITS.goalMax)
  goal: string;

  /** An agent id; absent, the server picks the best online match for the goal. */
  @IsOptionalNotNull() @IsString() @MaxLength(64)
  coordinator?: string;

  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GROUP_LIMITS.maxTurnsMax)
  max_turns?: number;

  @IsOptionalNotNull() @IsInt() @Min(0) @Max(TEAM_LIMITS.depthMax)
  team_up_depth?: number;

  /**
   * Seconds the coordinator has to form the root team before the goal passes to the next coordinator (or fails);
   * default `IOA_GOAL_ACCEPT_TIMEOUT_S` (120).
   */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(TEAM_LIMITS.acceptTimeoutMaxS)
  accept_timeout_s?: number;
}

/** `GET /v1/goals`: a page of the goals the caller may read, newest first, of one status if given. */
export class ListGoalsQueryDto extends PageQueryDto {
  @IsOptionalNotNull() @IsIn(GOAL_STATUSES)
  status?: GoalStatus;
}

export class TeamCandidate {
  need: string | null;
  agent_id: string;
  score: number;
  matched: string;
}

export class TeamFormationAck {
  seq: number;
  message_id: string;
  group_id: string;
  candidates: TeamCandidate[];
}

/** Server event `goal`: a goal to coordinate, sent to the chosen coordinator. */
export interface GoalEvent {
  goal_id: string;
  goal: string;
  max_turns: number;
  team_up_depth: number;
  /** Form the root team before this time, or the goal passes to another coordinator. Added within `ioa/1`. */
  accept_deadline: string;
}

/** Server event `invite`: an invitation to join a forming group, or an open one; answer with `invite_reply`. */
export interface InviteEvent {
  invite_id: string;
  group_id: string;
  goal: string;
  from: string;
  need: string | null;
  deadline: string;
}


/**
 * `POST /v1/groups/:id/members` by the coordinator (202): the agent was invited, and joins once it accepts. Added
 * within `ioa/1`.
 */
export class InviteView {
  invite_id: string;
  group_id: string;
  agent_id: string;
  status: 'pending';
  deadline: string;
}

/** An invitation as a team-up decision records it; times are epoch milliseconds. */
export class InviteRecord {
  invite_id: string;
  agent_id: string;
  /** `withdrawn`: the group closed, or someone else added or removed the agent, while the invite was pending. */
  status: 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
  reason?: string;
  sent_at: number;
  deadline: number;
  answered_at?: number;
}

/** One need of a team-up decision: the candidates found for it by meaning, and the invites sent. */
export class NeedRecord {
  /** The need in words, or null for an agent named directly. */
  need: string | null;
  count: number;
  candidates: { agent_id: string; score: number; matched: string; contact: boolean }[];
  invites: InviteRecord[];
  /** A graph node's task that this need's invite is for: its failure under `policy: "reassign"` sought the next candidate. */
  task_id?: string;
}

/** Why each member of a group formed by team formation was chosen. */
export class TeamDecision {
  requester: string;
  needs: NeedRecord[];
  outcome: 'forming' | 'opened' | 'failed';
  reason?: string;
}

/** `GET /v1/teams/:id/decision`. */
export class TeamDecisionView extends TeamDecision {
  group_id: string;
}

/** The MCP tool `submit_goal`: a goal, and whether the call waits for it to settle (added within `ioa/1`). */
export class SubmitGoalToolDto extends CreateGoalDto {
  /** Hold the call open until the goal settles, with progress notifications, and return its result. */
  @IsOptionalNotNull() @IsBoolean()
  wait?: boolean;

  /** With `wait`: stop waiting after this long (default 600); the goal goes on. */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(3600)
  timeout_s?: number;
}

/** The MCP tools `get_goal` and `cancel_goal`. */
export class GoalIdDto {
  @IsString() @IsNotEmpty() @MaxLength(64)
  goal_id: string;
}
