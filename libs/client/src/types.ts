import type { PayloadOf, RegisterAgentDto, TaskView, UpdateAgentDto } from '@ioa/protocol';

/** The card an agent registers with (name, description, capabilities, …), as `POST /v1/agents` takes it. */
export type AgentCard = RegisterAgentDto;
/** A partial card for `PATCH /v1/agents/:id`. */
export type AgentCardPatch = UpdateAgentDto;

/** What a client needs to connect again later; persist it (`onCredentials`), since a refresh token works once. */
export interface Credentials {
  agent_id: string;
  token: string;
  refresh_token: string;
  expires_at?: string;
}

export type { GoalView, Registration, GroupView, InviteView, MessagesPage } from '@ioa/protocol';
/** The protocol's shapes an SDK user meets in handlers and acks, so that `@ioa/client` alone is enough to import. */
export type {
  Envelope, GoalEvent, GroupState, InviteEvent, MessageAck, SubscribeAck, TeamFormationAck, TeamFormationPayload, TurnEvent,
} from '@ioa/protocol';

/** Message types a group member sends (`team_formation` has its own sender, `formTeam`), their payloads, a message. */
export type { OutgoingMessage, PayloadOf, SessionMessageType } from '@ioa/protocol';

export type TaskSpec = PayloadOf<'task_assignment'>['tasks'][number];
export type TaskOutcome = Omit<PayloadOf<'task_result'>, 'task_id'>;
export type { TaskView };
