import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ErrorCode, ImportAgentDto, ImportedAgent } from '@ioa/protocol';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../../foundation/http/api-errors';
import { CurrentPrincipal, Principal, Roles } from '../../../foundation/security/principal';
import { ImportA2aAgent } from './import-agent';

@ApiTags('agents')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('v1/agents')
export class A2aMembersController {
  constructor(private readonly importAgent: ImportA2aAgent) {}

  /**
   * Hosts an A2A agent by the URL of its agent card (its host must be in `IOA_A2A_ALLOWED_HOSTS`): registers it with
   * the card's skills as capabilities, and acts for it in groups, sending its tasks to its endpoint. The same URL
   * again refreshes the card (admins). An admin, or an enrollment token (which it uses up).
   */
  @Post('import')
  @Roles('admin', 'enrollment')
  @ApiErrors(ErrorCode.CONFLICT, ErrorCode.UNAVAILABLE)
  importA2aAgent(@CurrentPrincipal() by: Principal, @Body() body: ImportAgentDto): Promise<ImportedAgent> {
    return this.importAgent.execute(by, body);
  }
}
