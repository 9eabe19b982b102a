import { All, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { createMcpServer } from '@ioa/client/mcp/mcp-server';
import { ErrorCode, PROTOCOL_VERSION } from '@ioa/protocol';
import { ApiError } from '../../foundation/http/api-error';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../foundation/http/api-errors';
import { CurrentPrincipal, Principal, Roles } from '../../foundation/security/principal';
import { McpServices } from './mcp-services';

/**
 * MCP over Streamable HTTP at `/mcp`, stateless (a server and transport per request): the same tools as `ioa mcp`
 * on stdio, answered by the server's own services as the caller (a `client` token, or an admin). A Nest route, so the
 * global guard authenticates it and `@Roles` decides who reaches it, as for every REST route.
 */
@ApiTags('interop')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS)
@Controller('mcp')
export class McpController {
  constructor(private readonly services: McpServices) {}

  /** A JSON-RPC message of the Model Context Protocol; the answer is JSON or an event stream (progress notifications). */
  @Post()
  @Roles('client', 'admin')
  @ApiOperation({ operationId: 'mcp' })
  @ApiResponse({
    status: 200, description: 'a JSON-RPC 2.0 response, or (while a tool reports progress) an event stream of JSON-RPC messages',
    content: { 'application/json': { schema: { type: 'object', description: 'JSON-RPC 2.0 response (MCP)' } }, 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiBody({ schema: { type: 'object', description: 'a JSON-RPC 2.0 request or notification of the Model Context Protocol' } })
  async handle(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    // One message per request: a JSON-RPC batch would multiply the work a request (and the rate limit) counts once.
    if (Array.isArray(req.body)) throw new ApiError(ErrorCode.VALIDATION, 'one JSON-RPC message per request: batches are not accepted');
    const { backend, options } = this.services.for(p);
    const server = createMcpServer(backend, { ...options, version: PROTOCOL_VERSION });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()).catch(() => undefined));
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  /** Stateless: no server-sent stream to open, no session to end. */
  @All()
  @Roles('client', 'admin')
  @ApiExcludeEndpoint()
  other(@Res() res: Response): void {
    res.status(405).set('allow', 'POST').json({ jsonrpc: '2.0', error: { code: -32000, message: 'method not allowed: this MCP endpoint is stateless; POST only' }, id: null });
  }
}
