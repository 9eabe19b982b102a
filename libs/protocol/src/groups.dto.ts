import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { ENVELOPE_LIMITS } from './envelope.dto';
import { LIMITS } from './limits';
import { IsOptionalNotNull } from './validators';

export const GROUP_LIMITS = { membersMax: 64, goalMax: 4000, timeoutMaxS: 7 * 24 * 3600, maxTurnsMax: 10000 } as const;

export class CreateGroupDto {
  @IsString() @IsNotEmpty() @MaxLength(GROUP_LIMITS.goalMax)
  goal: string;

  /** Agent ids, added directly; the creator may be listed too. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(GROUP_LIMITS.membersMax) @IsString({ each: true }) @MaxLength(64, { each: true })
  members: string[];

  /** Defaults to the creating agent; required when an admin creates the group. */
  @IsOptionalNotNull() @IsString() @MaxLength(64)
  coordinator?: string;

  /** Accepted discussion messages before the group must conclude (default 50). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GROUP_LIMITS.maxTurnsMax)
  max_turns?: number;

  /** Seconds a turn holder may stay silent before the turn returns to the coordinator (default 120). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GROUP_LIMITS.timeoutMaxS)
  turn_timeout_s?: number;

  /** Seconds a coordinator holding the turn may stay silent before the role passes on (default 300). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GROUP_LIMITS.timeoutMaxS)
  coordinator_timeout_s?: number;

  /** Seconds a person (a human member) holding the turn may stay silent before it returns to the coordinator (default 1800). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GROUP_LIMITS.timeoutMaxS)
  human_turn_timeout_s?: number;

  /** Levels of sub-teams its members may still form (default 0: none). */
  @IsOptionalNotNull() @IsInt() @Min(0) @Max(5)
  team_up_depth?: number;

  /** Seconds to wait for the coordinator's summary once max_turns is reached (default 120). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GROUP_LIMITS.timeoutMaxS)
  conclusion_wait_s?: number;
}

export class PageQueryDto {
  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(1) @Max(LIMITS.pageSizeMax)
  limit?: number;

  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(0) @Max(LIMITS.offsetMax)
  offset?: number;
}

export class MessagesQueryDto {
  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(0) @Max(LIMITS.seqMax)
  after_seq?: number;

  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(1) @Max(LIMITS.pageSizeMax)
  limit?: number;
}

export class AuditQueryDto {
  @IsOptionalNotNull() @IsString() @MaxLength(64)
  group_id?: string;

  /** Agent id, `admin` or `system`. */
  @IsOptionalNotNull() @IsString() @MaxLength(64)
  actor?: string;

  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  /** Entries older than this id (paging back through the log). */
  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(1) @Max(LIMITS.seqMax)
  before_id?: number;
}

export class CloseGroupDto {
  @IsOptionalNotNull() @IsString() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  reason?: string;
}

/** `POST /v1/groups/:id/pause`. */
export class PauseGroupDto {
  @IsOptionalNotNull() @IsString() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  note?: string;
}

/** `POST /v1/groups/:id/messages`: an operator's message, which every member sees as the operator's. */
export class OperatorMessageDto {
  @IsString() @IsNotEmpty() @MaxLength(ENVELOPE_LIMITS.contentMax)
  text: string;
}

/** `POST /v1/goals/:id/messages`: the goal's requester writes to the coordinator of its root team (an answer, say). */
export class RequesterMessageDto {
  @IsString() @IsNotEmpty() @MaxLength(ENVELOPE_LIMITS.contentMax)
  text: string;
}

export class AddMemberDto {
  @IsString() @IsNotEmpty() @MaxLength(64)
  agent_id: string;
}
