import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { A2A_VERSION_HEADER, AgentCard } from '@a2a-js/sdk';
import { agentCardHandler, jsonRpcHandler } from '@a2a-js/sdk/server/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiErrors, AUTHENTICATED_ERRORS } from '../../../foundation/http/api-errors';
import { ConfigService } from '../../../foundation/config/config.service';
import { Principal, Public, Roles } from '../../../foundation/security/principal';
import { GoalsService } from '../../team-formation/goals.service';
import { A2aCard } from './a2a-card';
import { GoalExecutor } from './goal-executor';
import { GoalPushes } from './goal-pushes';
import { GoalRequestHandler } from './goal-request-handler';
import { GoalTaskStore, PrincipalUser } from './goal-task-store';

const VERSION = '0.1.0';
/** Caches may keep the card this long when IOA_PUBLIC_URL names the server (its skills follow the registry). */
const CARD_MAX_AGE_S = 300;

/**
 * ioa as an A2A agent: JSON-RPC at `/a2a` (A2A 1.0, and 0.3 for a request that says `A2A-Version: 0.3` or none) and
 * the agent card at `/.well-known/agent-card.json`, served by the A2A SDK's own Express handlers from inside Nest
 * routes, so the global guard authenticates every call and `@Roles` admits `client` tokens and admins only.
 */
@ApiTags('interop')
@Controller()
export class A2aController {
  private readonly rpc: RequestHandler;

  constructor(private readonly cards: A2aCard, private readonly config: ConfigService, store: GoalTaskStore, executor: GoalExecutor, goals: GoalsService, pushes: GoalPushes) {
    // The handler reads only the card's capabilities: URLs are the request's own, in `card()`.
    const handler = new GoalRequestHandler(this.cards.staticCard(VERSION), store, executor, goals, pushes);
    this.rpc = jsonRpcHandler({ requestHandler: handler, userBuilder: async (req) => new PrincipalUser(req.user as Principal), legacyCompat: { enabled: true } });
  }

  /** A JSON-RPC 2.0 request of the A2A protocol (`SendMessage`, `SendStreamingMessage`, `GetTask`, `CancelTask`, …; 0.3: `message/send`, …). */
  @Post('a2a')
  @Roles('client', 'admin')
  @ApiBearerAuth()
  @ApiErrors(...AUTHENTICATED_ERRORS)
  @ApiOperation({ operationId: 'a2a' })
  @ApiBody({ schema: { type: 'object', description: 'a JSON-RPC 2.0 request of the A2A protocol' } })
  @ApiResponse({
    status: 200, description: 'a JSON-RPC 2.0 response, or (streaming methods) an event stream of them',
    content: { 'application/json': { schema: { type: 'object' } }, 'text/event-stream': { schema: { type: 'string' } } },
  })
  handle(@Req() req: Request, @Res() res: Response): void {
    // The SDK (1.3) answers a request that is not JSON-RPC 2.0 with `invalid params`; JSON-RPC says `invalid request`.
    if (!isJsonRpcRequest(req.body)) {
      res.status(200).json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request: a JSON-RPC 2.0 request has jsonrpc "2.0", a method name, and a string, integer or null id' } });
      return;
    }
    // No A2A-Version means 0.3; but a 1.0 method name (`SendMessage`; 0.3 has `message/send`) can only mean 1.0.
    if (!req.get(A2A_VERSION_HEADER) && /^[A-Z]/.test((req.body as { method: string }).method)) req.headers['a2a-version'] = '1.0';
    delegate(this.rpc, req, res);
  }

  /** ioa's A2A agent card (v0.3-shaped for a request whose `A2A-Version` says 0.3 or nothing, as the A2A SDK decides). */
  @Get('.well-known/agent-card.json')
  @Public()
  @ApiOperation({ operationId: 'a2aAgentCard' })
  @ApiResponse({ status: 200, description: 'the A2A agent card', schema: { type: 'object' } })
  async agentCard(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Without IOA_PUBLIC_URL the card names the origin the request came to (its Host), so no cache may keep it.
    const publicUrl = this.config.values.publicUrl;
    const card = await this.cards.card(publicUrl ?? `${req.protocol}://${req.get('host')}`, VERSION);
    const maxAgeS = publicUrl ? CARD_MAX_AGE_S : 0;
    // The SDK's card handler serves A2A 1.0 cards as its objects are in memory (oneofs as `$case`); on the wire they
    // are the protocol's JSON, which `AgentCard.toJSON` writes. Its 0.3 translation is right, and used as it is.
    const version = req.get(A2A_VERSION_HEADER);
    if (version && !version.startsWith('0.')) {
      res.set({ vary: A2A_VERSION_HEADER, 'cache-control': maxAgeS ? `public, max-age=${maxAgeS}` : 'no-cache' }).json(AgentCard.toJSON(card));
      return;
    }
    delegate(agentCardHandler({ agentCardProvider: async () => card, legacyCompat: { enabled: true }, cache: { maxAge: maxAgeS } }), req, res);
  }
}

function isJsonRpcRequest(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { jsonrpc, method, id } = body as Record<string, unknown>;
  const idOk = id === undefined || id === null || typeof id === 'string' || Number.isInteger(id);
  return jsonrpc === '2.0' && typeof method === 'string' && method.length > 0 && idOk;
}

/** Runs one of the SDK's Express routers for this route: it routes from its own root, and answers itself. */
function delegate(router: RequestHandler, req: Request, res: Response): void {
  req.url = '/';
  const fallThrough: NextFunction = (err?: unknown) => {
    if (!res.headersSent) res.status(err ? 500 : 404).json({ jsonrpc: '2.0', id: null, error: { code: -32603, message: err ? 'internal error' : 'not found' } });
  };
  void router(req, res, fallThrough);
}
