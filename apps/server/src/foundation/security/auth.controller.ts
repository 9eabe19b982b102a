import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AgentCredentials, ClientToken, CreateClientTokenDto, CreateEnrollmentDto, CreateObserverTokenDto, ErrorCode, IssuedToken, RefreshTokenDto, TokenView } from '@ioa/protocol';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../http/api-errors';
import { Public, Roles } from './principal';
import { TokenService } from './token.service';

@ApiTags('auth')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  /** An enrollment token lets agents register themselves (`POST /v1/agents` with it as bearer). */
  @Post('enrollments')
  @Roles('admin')
  createEnrollment(@Body() body: CreateEnrollmentDto): Promise<IssuedToken> {
    return this.tokens.issueEnrollment(body.max_uses, body.ttl_s);
  }

  /** A read-only token for people watching named groups, goals, or everything. */
  @Post('observer-tokens')
  @Roles('admin')
  createObserverToken(@Body() body: CreateObserverTokenDto): Promise<IssuedToken> {
    return this.tokens.issueObserver(body.scope, body.ttl_s, body.label ?? null);
  }

  /**
   * A token for an outside application (role `client`: an MCP host, an A2A caller): it submits goals, reads and
   * cancels its own, and searches agents. Revoke it like any token.
   */
  @Post('client-tokens')
  @Roles('admin')
  @ApiErrors(ErrorCode.NOT_FOUND)
  createClientToken(@Body() body: CreateClientTokenDto): Promise<ClientToken> {
    return this.tokens.issueClient(body.name, body.client_id ?? null, body.ttl_s);
  }

  /** Trades a refresh token for a new access and refresh token; the old pair stops working. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refreshToken(@Body() body: RefreshTokenDto): Promise<AgentCredentials> {
    return this.tokens.refresh(body.refresh_token);
  }

  @Get('tokens')
  @Roles('admin')
  listTokens(@Query('agent_id') agentId?: string): Promise<TokenView[]> {
    return this.tokens.list(agentId ? { subject: agentId } : {});
  }

  @Post('tokens/:jti/revoke')
  @Roles('admin')
  @HttpCode(200)
  @ApiErrors(ErrorCode.NOT_FOUND)
  revokeToken(@Param('jti') jti: string): Promise<TokenView> {
    return this.tokens.revoke(jti);
  }
}
