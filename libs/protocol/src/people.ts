import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { LIMITS } from './limits';
import { IsNested, IsOptionalNotNull } from './validators';

/**
 * People in the loop (added within `ioa/1`): persons an admin creates, who hold `participant` tokens, and the approval
 * nodes of task graphs they decide.
 */

/** What a participant token covers: named groups, or whole goals (with every sub-team). Never everything. */
export class ParticipantScopeDto {
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.scopeItemsMax) @IsString({ each: true }) @MaxLength(64, { each: true })
  groups?: string[];

  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.scopeItemsMax) @IsString({ each: true }) @MaxLength(64, { each: true })
  goals?: string[];
}

/** `POST /v1/people`: a person, and a first `participant` token for them. */
export class CreatePersonDto {
  @IsString() @IsNotEmpty() @MaxLength(LIMITS.shortTextMax)
  name: string;

  @IsNested(() => ParticipantScopeDto)
  scope: ParticipantScopeDto;

  /** The token's lifetime in seconds (default 24 h). */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(LIMITS.ttlSecondsMax)
  ttl_s?: number;
}

/** `POST /v1/people/:id/tokens`: another `participant` token for a person (a new scope, or a longer life). */
export class PersonTokenDto {
  @IsNested(() => ParticipantScopeDto)
  scope: ParticipantScopeDto;

  @IsOptionalNotNull() @IsInt() @Min(1) @Max(LIMITS.ttlSecondsMax)
  ttl_s?: number;
}

export class PersonView {
  /** In the same id space as agents' ids (a UUID). */
  id: string;
  name: string;
  created_at: string;
}

export class PersonCreated {
  person: PersonView;
  /** The `participant` token (a bearer credential for REST and the socket). */
  token: string;
  jti: string;
  expires_at: string;
}

/**
 * Where an approval stands: `waiting` until its graph asks for it (its predecessors run, or it waits to be asked
 * again under `retry`); then `pending` until someone decides, or its deadline passes (`expired`: counts as rejected),
 * or the graph no longer waits for it (`canceled`).
 */
export const APPROVAL_STATES = ['waiting', 'pending', 'approved', 'rejected', 'expired', 'canceled'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** `POST /v1/approvals/:id` and the socket event `approval_decide`. */
export class DecideApprovalDto {
  @IsIn(APPROVAL_DECISIONS)
  decision: ApprovalDecision;

  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.descriptionMax)
  comment?: string;
}

/** The socket event `approval_decide`: a decision and the approval it is about. */
export class ApprovalDecideDto extends DecideApprovalDto {
  @IsString() @IsNotEmpty() @MaxLength(64)
  approval_id: string;
}

/** `GET /v1/approvals`: pending ones (the default) or every one the caller may decide. */
export class ListApprovalsQueryDto {
  @IsOptionalNotNull() @IsIn(['pending', 'all'])
  state?: 'pending' | 'all';
}

/**
 * An approval: a graph node of kind `approval`; its id is its task's id. The event `approval` carries it to those who
 * may decide it when it begins to wait and when it is decided.
 */
export class ApprovalView {
  id: string;
  group_id: string;
  goal_id: string | null;
  graph_id: string;
  key: string;
  /** What is to be approved: the node's `task_abstract`. */
  what: string;
  /** The node's `task_desc`: only those who may decide see an approval. */
  detail: string;
  /** Who may decide besides admins; null: every participant whose token covers the group. */
  approvers: string[] | null;
  state: ApprovalState;
  expires_at: string | null;
  decided_by: string | null;
  comment: string | null;
  decided_at: string | null;
  /** When its graph last asked for it; null while `waiting` for the first time. */
  requested_at: string | null;
}

export class PersonPage {
  items: PersonView[];
  total: number;
  limit: number;
  offset: number;
}
