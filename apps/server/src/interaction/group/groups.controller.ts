import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AddMemberDto, CloseGroupDto, CreateGroupDto, MessagesQueryDto, PageQueryDto } from '@ioa/protocol';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { SessionReader } from '../session/session-reader';
import { SessionService } from '../session/session.service';
import { GroupsService } from './groups.service';

@ApiTags('groups')
@ApiBearerAuth()
@Controller('v1')
export class GroupsController {
  constructor(private readonly groups: GroupsService, private readonly sessions: SessionService, private readonly reader: SessionReader) {}

  /**
   * Creates a group. An admin's opens in `discussion` with the coordinator holding the first turn; an agent that names
   * other agents invites them, and its group waits in `forming` until they answered.
   */
  @Post('groups')
  @Roles('agent', 'admin')
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateGroupDto) {
    return this.groups.create(p, body);
  }

  @Get('groups')
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto) {
    return this.reader.list(p, q.limit, q.offset);
  }

  @Get('groups/:id')
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.reader.group(p, id);
  }

  /** History in seq order, as the caller may see it (task texts only for their assignees and the coordinator). */
  @Get('groups/:id/messages')
  messages(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: MessagesQueryDto) {
    return this.reader.messages(p, id, q.after_seq, q.limit);
  }

  @Get('groups/:id/tasks')
  tasks(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.reader.tasks(p, id);
  }

  /** During discussion an admin adds a member (201, the group), the coordinator invites one (202, the invite). */
  @Post('groups/:id/members')
  @Roles('agent', 'admin')
  @ApiResponse({ status: 201, description: 'an admin added the member: the group' })
  @ApiResponse({ status: 202, description: 'the coordinator invited the agent: the invite; it joins once it accepts' })
  async addMember(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: AddMemberDto, @Res({ passthrough: true }) res: Response) {
    const out = await this.groups.addMember(p, id, body.agent_id);
    if ('invite_id' in out) res.status(202);
    return out;
  }

  /** The coordinator removes a member during discussion, or a member leaves. */
  @Delete('groups/:id/members/:agentId')
  @Roles('agent', 'admin')
  removeMember(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('agentId') agentId: string) {
    return this.sessions.changeMembers(p, id, { remove: agentId });
  }

  @Post('groups/:id/close')
  @Roles('admin')
  @HttpCode(200)
  close(@Param('id') id: string, @Body() body: CloseGroupDto) {
    return this.sessions.close(id, 'closed_by_admin', 'admin', body.reason);
  }
}
