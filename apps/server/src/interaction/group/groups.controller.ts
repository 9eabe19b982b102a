import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AddMemberDto, CheckpointView, CloseGroupDto, MessageAck, OperatorMessageDto, PauseGroupDto, RollbackDto, RollbackView, CreateGroupDto, ErrorCode, GraphView, GroupPage, GroupView, InviteView, MessagesPage, MessagesQueryDto, PageQueryDto, TaskView,
} from '@ioa/protocol';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../foundation/http/api-errors';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { SessionReader } from '../session/session-reader';
import { SessionService } from '../session/session.service';
import { GroupsService } from './groups.service';

@ApiTags('groups')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('v1')
export class GroupsController {
  constructor(private readonly groups: GroupsService, private readonly sessions: SessionService, private readonly reader: SessionReader) {}

  /**
   * Creates a group. An admin's opens in `discussion` with the coordinator holding the first turn; an agent that names
   * other agents invites them, and its group waits in `forming` until they answered.
   */
  @Post('groups')
  @Roles('agent', 'admin')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.NO_CANDIDATE, ErrorCode.DEPTH_EXHAUSTED)
  createGroup(@CurrentPrincipal() p: Principal, @Body() body: CreateGroupDto): Promise<GroupView> {
    return this.groups.create(p, body);
  }

  @Get('groups')
  listGroups(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<GroupPage> {
    return this.reader.list(p, q.limit, q.offset);
  }

  @Get('groups/:id')
  @ApiErrors(ErrorCode.NOT_FOUND)
  getGroup(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<GroupView> {
    return this.reader.group(p, id);
  }

  /** History in seq order, as the caller may see it (task texts only for their assignees and the coordinator). */
  @Get('groups/:id/messages')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_MEMBER)
  listMessages(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: MessagesQueryDto): Promise<MessagesPage> {
    return this.reader.messages(p, id, q.after_seq, q.limit);
  }

  @Get('groups/:id/tasks')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_MEMBER)
  listTasks(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<TaskView[]> {
    return this.reader.tasks(p, id);
  }

  /** A task graph: nodes (tasks with their graph fields), edges and outcome; the assignment's message_id names it. */
  @Get('groups/:id/graphs/:message_id')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_MEMBER)
  getGraph(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('message_id') graphId: string): Promise<GraphView> {
    return this.reader.graph(p, id, graphId);
  }

  /** The group's checkpoints, oldest first, each with whether it still verifies (hash and data-key signature). */
  @Get('groups/:id/checkpoints')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_MEMBER)
  listCheckpoints(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CheckpointView[]> {
    return this.reader.checkpoints(p, id);
  }

  /** An admin takes a checkpoint of an open group; the system message `checkpoint` announces it. */
  @Post('groups/:id/checkpoints')
  @Roles('admin')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.GROUP_CLOSED, ErrorCode.ILLEGAL_IN_STATE)
  takeCheckpoint(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CheckpointView> {
    return this.sessions.checkpoint(p, id);
  }

  /** An operator writes into an open group (paused or not): every member sees it, as the operator's. */
  @Post('groups/:id/messages')
  @Roles('admin')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.GROUP_CLOSED)
  postOperatorMessage(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: OperatorMessageDto): Promise<MessageAck> {
    return this.sessions.operatorMessage(p, id, body.text);
  }

  /** An operator pauses an open group: deadlines frozen, members' messages refused with GROUP_PAUSED until it resumes. */
  @Post('groups/:id/pause')
  @Roles('admin')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.GROUP_CLOSED, ErrorCode.CONFLICT)
  pause(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: PauseGroupDto): Promise<GroupView> {
    return this.sessions.pause(p, id, true, body.note);
  }

  /** An operator resumes a paused group: every deadline moves on by the time it was paused. */
  @Post('groups/:id/resume')
  @Roles('admin')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.GROUP_CLOSED, ErrorCode.CONFLICT)
  resume(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<GroupView> {
    return this.sessions.pause(p, id, false);
  }

  /**
   * An admin returns the group's tasks to a checkpoint that verifies: results produced since are invalidated (kept in
   * history), what was assigned since is canceled, what ran then runs again; the `rollback` event tells every member.
   */
  @Post('groups/:id/rollback')
  @Roles('admin')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.GROUP_CLOSED, ErrorCode.ILLEGAL_IN_STATE, ErrorCode.CONFLICT)
  rollback(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RollbackDto): Promise<RollbackView> {
    return this.sessions.rollback(p, id, body.checkpoint_id);
  }

  /** During discussion an admin adds a member (201, the group), the coordinator invites one (202, the invite). */
  @Post('groups/:id/members')
  @Roles('agent', 'admin')
  @ApiResponse({ status: 201, type: GroupView, description: 'an admin added the member: the group' })
  @ApiResponse({ status: 202, type: InviteView, description: 'the coordinator invited the agent: the invite; it joins once it accepts' })
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_MEMBER, ErrorCode.CONFLICT, ErrorCode.ILLEGAL_IN_STATE, ErrorCode.GROUP_CLOSED)
  async addMember(
    @CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: AddMemberDto, @Res({ passthrough: true }) res: Response,
  ): Promise<GroupView | InviteView> {
    const out = await this.groups.addMember(p, id, body.agent_id);
    if ('invite_id' in out) res.status(202);
    return out;
  }

  /** The coordinator removes a member during discussion, or a member (an agent or a person) leaves. */
  @Delete('groups/:id/members/:agentId')
  @Roles('agent', 'admin', 'participant')
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.NOT_MEMBER, ErrorCode.ILLEGAL_IN_STATE, ErrorCode.GROUP_CLOSED)
  removeMember(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('agentId') agentId: string): Promise<GroupView> {
    return this.sessions.changeMembers(p, id, { remove: agentId });
  }

  @Post('groups/:id/close')
  @Roles('admin')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND)
  closeGroup(@Param('id') id: string, @Body() body: CloseGroupDto): Promise<GroupView> {
    return this.sessions.close(id, 'closed_by_admin', 'admin', body.reason);
  }
}
