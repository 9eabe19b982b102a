import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { McpBackend, McpOptions } from '@ioa/client/mcp/mcp-server';
import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../foundation/http/api-error';
import { toApiError } from '../../foundation/http/error.filter';
import { Principal } from '../../foundation/security/principal';
import { TokenService } from '../../foundation/security/token.service';
import { AgentSearchService } from '../agent-query/agent-search.service';
import { GoalsService } from '../team-formation/goals.service';
import { CallerBound } from './caller-bound';

/** `submit_goal` calls with `wait` one caller may hold open at once. */
const WAITS_PER_CALLER = 4;

/**
 * The MCP tools' backend inside the server: the services the REST routes call, as the caller, with the same checks
 * and the same error handling (an unexpected error is logged, and reaches the caller as INTERNAL only).
 */
@Injectable()
export class McpServices implements BeforeApplicationShutdown {
  private readonly logger = new Logger('mcp');
  private readonly waits = new CallerBound(WAITS_PER_CALLER);
  private readonly stopping = new AbortController();

  constructor(private readonly search: AgentSearchService, private readonly goals: GoalsService, private readonly tokens: TokenService) {}

  /** Before the HTTP server closes: waiting calls end (with the goal as it stands), so it can. */
  beforeApplicationShutdown(): void {
    this.stopping.abort();
  }

  /** What the tools of one request use: the backend as `p`, and the server's bounds on waiting calls. */
  for(p: Principal): { backend: McpBackend; options: Pick<McpOptions, 'beginWait' | 'stop'> } {
    const guard = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      try {
        return await f(...args);
      } catch (e) {
        const error = toApiError(e);
        if (error.code === ErrorCode.INTERNAL) this.logger.error(`${p.role} ${p.id}: ${e instanceof Error ? e.stack : String(e)}`);
        throw error;
      }
    };
    const backend: McpBackend = {
      searchAgents: guard(async (query) => ({ results: await this.search.search(query) })),
      createGoal: guard((body) => this.goals.create(p, body)),
      // Read again and again by a waiting submit_goal: a token revoked meanwhile ends the wait.
      getGoal: guard(async (id) => {
        if (p.jti && (await this.tokens.isRevoked(p.jti))) throw new ApiError(ErrorCode.UNAUTHORIZED, 'token revoked');
        return this.goals.get(p, id);
      }),
      cancelGoal: guard(async (id) => {
        await this.goals.assertCancel(p, id);
        return this.goals.cancel(id, p);
      }),
      listGoals: guard((q) => this.goals.list(p, q)),
      goalTranscript: guard((id, afterSeq) => this.goals.transcript(p, id, afterSeq)),
    };
    return { backend, options: { beginWait: () => this.beginWait(p.id), stop: this.stopping.signal } };
  }

  private beginWait(caller: string): () => void {
    const end = this.waits.begin(caller);
    if (!end) throw new ApiError(ErrorCode.RATE_LIMITED, `at most ${WAITS_PER_CALLER} submit_goal calls with wait at once; poll with get_goal`);
    return end;
  }
}
