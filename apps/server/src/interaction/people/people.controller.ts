import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ApprovalView, CreatePersonDto, DecideApprovalDto, ErrorCode, IssuedToken, ListApprovalsQueryDto, PageQueryDto, PersonCreated, PersonPage, PersonTokenDto,
} from '@ioa/protocol';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../foundation/http/api-errors';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { ApprovalReader } from '../session/approval-reader';
import { SessionService } from '../session/session.service';
import { PeopleService } from './people.service';

/** People in the loop: the persons admins create (`participant` tokens), and the approvals they decide. */
@ApiTags('people')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('v1')
export class PeopleController {
  constructor(private readonly people: PeopleService, private readonly approvals: ApprovalReader, private readonly sessions: SessionService) {}

  /** Creates a person and a first `participant` token for them, scoped to goals or groups. */
  @Post('people')
  @Roles('admin')
  createPerson(@CurrentPrincipal() p: Principal, @Body() body: CreatePersonDto): Promise<PersonCreated> {
    return this.people.create(p, body);
  }

  @Get('people')
  @Roles('admin')
  listPeople(@Query() q: PageQueryDto): Promise<PersonPage> {
    return this.people.list(q.limit ?? 50, q.offset ?? 0);
  }

  /** Another `participant` token for a person (revoke the old one with `POST /v1/auth/tokens/:jti/revoke`). */
  @Post('people/:id/tokens')
  @Roles('admin')
  @ApiErrors(ErrorCode.NOT_FOUND)
  issuePersonToken(@Param('id') id: string, @Body() body: PersonTokenDto): Promise<IssuedToken> {
    return this.people.issueToken(id, body);
  }

  /** The approvals the caller may decide, newest first: pending ones (the default), or all. */
  @Get('approvals')
  @Roles('admin', 'participant')
  listApprovals(@CurrentPrincipal() p: Principal, @Query() q: ListApprovalsQueryDto): Promise<ApprovalView[]> {
    return this.approvals.list(p, q.state);
  }

  @Get('approvals/:id')
  @Roles('admin', 'participant')
  @ApiErrors(ErrorCode.NOT_FOUND)
  getApproval(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ApprovalView> {
    return this.approvals.get(p, id);
  }

  /** Approves or rejects an approval that waits for a decision; its graph node settles at once. */
  @Post('approvals/:id')
  @Roles('admin', 'participant')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.GROUP_CLOSED, ErrorCode.GROUP_PAUSED)
  decideApproval(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: DecideApprovalDto): Promise<ApprovalView> {
    return this.sessions.decideApproval(p, id, body);
  }
}
