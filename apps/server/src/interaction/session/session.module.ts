import { Module } from '@nestjs/common';
import { GroupsDataModule } from '../../data/groups/groups-data.module';
import { RegistryModule } from '../../data/registry/registry.module';
import { GroupHost } from './group-host';
import { registerHandlers } from './register-handlers';
import { Checkpoints } from './checkpoints';
import { RollbackSteps } from './rollback-steps';
import { AssigneePresenceHandler } from './handlers/assignee-presence.handler';
import { CheckpointHandler } from './handlers/checkpoint.handler';
import { RollbackHandler } from './handlers/rollback.handler';
import { PauseHandler } from './handlers/pause.handler';
import { OperatorMessageHandler } from './handlers/operator-message.handler';
import { RequesterMessageHandler } from './handlers/requester-message.handler';
import { DecideApprovalHandler } from './handlers/decide-approval.handler';
import { RollbackAckHandler } from './handlers/rollback-ack.handler';
import { ApprovalSteps } from './approval-steps';
import { ApprovalReader } from './approval-reader';
import { PeopleDataModule } from '../../data/people/people-data.module';
import { ChangeMembersHandler } from './handlers/change-members.handler';
import { CloseHandler } from './handlers/close.handler';
import { ExpireDeadlinesHandler } from './handlers/expire-deadlines.handler';
import { SendMessageHandler } from './handlers/send-message.handler';
import { SettleParentTaskHandler } from './handlers/settle-parent-task.handler';
import { SubscribeHandler } from './handlers/subscribe.handler';
import { PresenceService } from './presence.service';
import { SessionEngine } from './session-engine';
import { SessionEvents } from './session-events';
import { SessionReader } from './session-reader';
import { SessionTimers } from './session-timers';
import { SessionService } from './session.service';

const HANDLERS = [SendMessageHandler, ChangeMembersHandler, CloseHandler, ExpireDeadlinesHandler, AssigneePresenceHandler, SettleParentTaskHandler, SubscribeHandler, CheckpointHandler, RollbackHandler,
  PauseHandler, OperatorMessageHandler, RequesterMessageHandler, DecideApprovalHandler, RollbackAckHandler];

/**
 * Sessions: the group host (open groups, one step at a time each) and the handlers of its commands, with the timers
 * and presence that send it commands; the edges are in group/ and routing/.
 */
@Module({
  imports: [GroupsDataModule, RegistryModule, PeopleDataModule],
  providers: [SessionEvents, SessionEngine, Checkpoints, RollbackSteps, ApprovalSteps, GroupHost, ...HANDLERS, registerHandlers('SESSION_HANDLERS', HANDLERS), SessionService, SessionTimers, SessionReader, ApprovalReader, PresenceService],
  exports: [SessionEvents, SessionEngine, Checkpoints, GroupHost, SessionService, SessionReader, ApprovalReader, PresenceService],
})
export class SessionModule {}
