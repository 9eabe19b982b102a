import {
  ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsDefined, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsString,
  IsUUID, Max, MaxLength, Min,
} from 'class-validator';
import { FAILURE_POLICIES, FailurePolicy, GRAPH_LIMITS, NODE_KINDS, NodeKind } from './graph';
import { LIMITS } from './limits';
import { CLIENT_MESSAGE_TYPES, GroupState, MessageType, PROPOSABLE_STATES, ProposableState } from './session';
import { HasNamespacedKeys, IsArrayOf, IsNested, IsBoundedJsonObject, IsOptionalNotNull } from './validators';
import { PROTOCOL_VERSION } from './version';

export const ENVELOPE_LIMITS = {
  contentMax: 32 * 1024,
  textMax: 16 * 1024,
  abstractMax: 1000,
  speakersMax: 64,
  tasksMax: 32,
  extBytesMax: 4096,
  deadlineMaxS: 7 * 24 * 3600,
} as const;

const AgentIds = () => (target: object, key: string) => {
  IsArray()(target, key);
  ArrayMaxSize(ENVELOPE_LIMITS.speakersMax)(target, key);
  IsString({ each: true })(target, key);
  MaxLength(64, { each: true })(target, key);
};

/** Header fields a client sends. `sender`, `state`, `seq` and `timestamp` are stamped by the server and refused here. */
export class ClientHeaderDto {
  @Equals(PROTOCOL_VERSION)
  protocol: typeof PROTOCOL_VERSION;

  /** Client-made UUID, unique per sender for the group's life: a resend returns the original ack. */
  @IsUUID()
  message_id: string;

  /** Omitted only by a `team_formation` that creates a root team. */
  @IsOptionalNotNull() @IsString() @MaxLength(64)
  group_id?: string;

  @IsIn(CLIENT_MESSAGE_TYPES)
  type: Exclude<MessageType, 'system'>;
}

export class ClientEnvelopeDto {
  @IsDefined() @IsNested(() => ClientHeaderDto)
  header: ClientHeaderDto;

  /** Checked against the payload class of `header.type`. */
  @IsDefined() @IsObject()
  payload: Record<string, unknown>;

  /** Namespaced extension keys (`vendor.key`), stored and relayed untouched to everyone who sees the message. */
  @IsOptionalNotNull() @IsObject() @IsBoundedJsonObject(ENVELOPE_LIMITS.extBytesMax) @HasNamespacedKeys()
  ext?: Record<string, unknown>;
}

export class DiscussionPayload {
  @IsString() @IsNotEmpty() @MaxLength(ENVELOPE_LIMITS.contentMax)
  content: string;

  /** Any one of these may speak next; empty means the coordinator. */
  @AgentIds()
  next_speaker: string[];

  @IsOptionalNotNull() @IsIn(PROPOSABLE_STATES)
  next_state?: ProposableState;

  /** A question for the goal's requester, from its root team's coordinator; answered by `requester_message` (ioa/1). */
  @IsOptionalNotNull() @IsBoolean()
  ask_requester?: boolean;
}

export class TaskSpecDto {
  /** Full text: reaches only the assignees, the coordinator and admins. */
  @IsString() @IsNotEmpty() @MaxLength(ENVELOPE_LIMITS.textMax)
  task_desc: string;

  /** Short form that everyone in the group sees. */
  @IsString() @IsNotEmpty() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  task_abstract: string;

  /** Who does it: members of the group; required but on an approval node (`kind: "approval"`), which people decide. */
  @IsOptionalNotNull() @AgentIds() @ArrayMinSize(1)
  assignee?: string[];

  @IsOptionalNotNull() @IsInt() @Min(1) @Max(ENVELOPE_LIMITS.deadlineMaxS)
  deadline_s?: number;

  /** Task graphs (`graph.ts`): the task's name within its assignment, what it waits for, on what, and its failure policy. */
  @IsOptionalNotNull() @IsString() @IsNotEmpty() @MaxLength(GRAPH_LIMITS.keyMax)
  key?: string;

  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(ENVELOPE_LIMITS.tasksMax) @IsString({ each: true }) @MaxLength(GRAPH_LIMITS.keyMax, { each: true })
  depends_on?: string[];

  /** Per predecessor key: `completed`, `failed`, or a text its `task_abstract` must contain (checked by `graphProblem`). */
  @IsOptionalNotNull() @IsBoundedJsonObject(ENVELOPE_LIMITS.extBytesMax)
  when?: Record<string, string>;

  @IsOptionalNotNull() @IsIn(FAILURE_POLICIES)
  policy?: FailurePolicy;

  /**
   * With `policy: "retry"`: how many more runs (default 3), and the delay before the first (default 10 s, then
   * doubled); with `policy: "reassign"`: how many more assignees (default 3).
   */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GRAPH_LIMITS.retriesMax)
  max_retries?: number;

  @IsOptionalNotNull() @IsInt() @Min(1) @Max(GRAPH_LIMITS.retryDelayMaxS)
  retry_delay_s?: number;

  /**
   * `approval`: a node of a graph that waits for a person's decision (`POST /v1/approvals/:id`) on what its
   * `task_abstract` and `task_desc` say, instead of an agent's work. Added within `ioa/1`.
   */
  @IsOptionalNotNull() @IsIn(NODE_KINDS)
  kind?: NodeKind;

  /** Of an approval: the people (ids from `POST /v1/people`) who may decide besides admins; default: every participant whose token covers the group. */
  @IsOptionalNotNull() @AgentIds() @ArrayMinSize(1)
  approvers?: string[];

  /** Of an approval: how long it waits (default 1 h); then it counts as rejected. */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(ENVELOPE_LIMITS.deadlineMaxS)
  expires_in_s?: number;
}

export class TaskAssignmentPayload {
  @IsIn(['sync', 'async'])
  mode: 'sync' | 'async';

  @ArrayMinSize(1) @ArrayMaxSize(ENVELOPE_LIMITS.tasksMax) @IsArrayOf(() => TaskSpecDto)
  tasks: TaskSpecDto[];
}

export class TaskReplyPayload {
  @IsString() @MaxLength(64)
  task_id: string;

  @IsBoolean()
  accept: boolean;

  @IsOptionalNotNull() @IsString() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  reason?: string;

  @IsOptionalNotNull() @IsInt() @Min(0) @Max(ENVELOPE_LIMITS.deadlineMaxS)
  eta_s?: number;
}

export class TaskProgressPayload {
  @IsString() @MaxLength(64)
  task_id: string;

  @IsNumber() @Min(0) @Max(1)
  progress: number;

  @IsString() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  note: string;
}

export class TaskResultPayload {
  @IsString() @MaxLength(64)
  task_id: string;

  @IsIn(['completed', 'failed'])
  status: 'completed' | 'failed';

  @IsString() @MaxLength(ENVELOPE_LIMITS.textMax)
  task_conclusion: string;

  @IsString() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  task_abstract: string;
}

export class TaskCancelPayload {
  @IsString() @MaxLength(64)
  task_id: string;

  @IsString() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  reason: string;
}

export class TaskReassignPayload {
  @IsString() @MaxLength(64)
  task_id: string;

  @AgentIds() @ArrayMinSize(1)
  assignee: string[];
}

export class PauseAndTriggerPayload {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(ENVELOPE_LIMITS.tasksMax) @IsString({ each: true }) @MaxLength(64, { each: true })
  triggers: string[];
}

export class ConclusionPayload {
  @IsString() @IsNotEmpty() @MaxLength(ENVELOPE_LIMITS.textMax)
  summary: string;
}

/** The coordinator asks for a checkpoint of the group now (added within `ioa/1`). */
export class CheckpointPayload {
  @IsOptionalNotNull() @IsString() @MaxLength(ENVELOPE_LIMITS.abstractMax)
  note?: string;
}

/** The coordinator returns the group's tasks to one of its checkpoints (added within `ioa/1`). */
export class RollbackPayload {
  @IsString() @IsNotEmpty() @MaxLength(64)
  checkpoint_id: string;
}

/** Payload class of each client message type; `team_formation` belongs to the team-formation layer. */
export const PAYLOAD_CLASSES = {
  discussion: DiscussionPayload,
  task_assignment: TaskAssignmentPayload,
  task_reply: TaskReplyPayload,
  task_progress: TaskProgressPayload,
  task_result: TaskResultPayload,
  task_cancel: TaskCancelPayload,
  task_reassign: TaskReassignPayload,
  pause_and_trigger: PauseAndTriggerPayload,
  conclusion: ConclusionPayload,
  checkpoint: CheckpointPayload,
  rollback: RollbackPayload,
} as const;

/** Message types a group member sends in a group (`team_formation` forms a group instead). */
export type SessionMessageType = keyof typeof PAYLOAD_CLASSES;
/** The payload shape of a session message type, from its DTO class. */
export type PayloadOf<T extends SessionMessageType> = InstanceType<(typeof PAYLOAD_CLASSES)[T]>;
/** One message to send into a group: a type and its payload. */
export type OutgoingMessage = { [T in SessionMessageType]: { type: T; payload: PayloadOf<T> } }[SessionMessageType];

/**
 * A client envelope once validated, as the server's handlers receive it: `type` repeats `header.type` at the top, so
 * that checking it narrows `payload` to its type's class.
 */
export type SessionEnvelope = {
  [T in SessionMessageType]: { type: T; header: ClientHeaderDto; payload: PayloadOf<T>; ext?: Record<string, unknown> };
}[SessionMessageType];
/** A `team_formation` envelope: its payload is left to the team-formation layer, which parses it. */
export interface TeamFormationEnvelope {
  type: 'team_formation';
  header: ClientHeaderDto;
  payload: object;
  ext?: Record<string, unknown>;
}
export type ParsedEnvelope = SessionEnvelope | TeamFormationEnvelope;

/** A message as the server stores and relays it. */
export class StampedHeader {
  protocol: typeof PROTOCOL_VERSION;
  message_id: string;
  group_id: string;
  type: MessageType;
  /** Agent id from the sender's token, or `system`. */
  sender: string;
  /** The group's state when the message was accepted. */
  state: GroupState;
  /** Per group, gap-free, increasing from 1. */
  seq: number;
  timestamp: string;
}

/** A message as REST history returns it; `payload` is the payload of `header.type` (docs/asyncapi.yaml has each). */
export class EnvelopeView {
  header: StampedHeader;
  payload: Record<string, unknown>;
  ext?: Record<string, unknown>;
}

/** A message with its payload typed, where the type is known. */
export type Envelope<P = Record<string, unknown>> = Omit<EnvelopeView, 'payload'> & { payload: P };


export class SubscribeDto {
  @IsString() @IsNotEmpty() @MaxLength(64)
  group_id: string;

  /** Replay every message after this seq (default 0: the whole history), then live ones. */
  @IsOptionalNotNull() @IsInt() @Min(0) @Max(LIMITS.seqMax)
  after_seq?: number;
}

export class UnsubscribeDto {
  @IsString() @IsNotEmpty() @MaxLength(64)
  group_id: string;
}

/** Event `auth`: a new access token for this socket, for the same principal, before the current one expires. */
export class SocketAuthDto {
  @IsString() @IsNotEmpty() @MaxLength(4096)
  token: string;
}
