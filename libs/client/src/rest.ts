import {
  AgentCredentials, AgentView, API_PREFIX, CreateGoalDto, CreateGroupDto, ErrorCode, GoalStatus, HTTP_STATUS, Page, SearchAgentsDto, SearchResponse,
  TaskView, TreeNode,
} from '@ioa/protocol';
import { ConnectionFailed, errorBodyOf, IoAError } from './errors';
import { AgentCard, AgentCardPatch, GoalView, GroupView, InviteView, MessagesPage, Registration } from './types';

export interface RestOptions {
  /** The current access token (read on every call, so a refreshed token is used at once). */
  token?: () => string | undefined;
  /** Called once when a call with the access token is refused with UNAUTHORIZED; the call is then retried. */
  refresh?: () => Promise<unknown>;
  /**
   * A call refused with `RATE_LIMITED` waits the `Retry-After` the server sent and is tried again, this many times
   * (default 3; 0 reports the refusal at once). A wait longer than `maxRetryAfterS` (default 30) is not waited for.
   */
  rateLimitRetries?: number;
  maxRetryAfterS?: number;
}

/** Explicit auth for one call: a token other than the access token (enrollment), or none at all. */
type Auth = { bearer: string | null } | 'access';

/**
 * A small typed client for the REST half of `ioa/1` over the global `fetch`. Every non-2xx answer becomes an
 * `IoAError` carrying the server's `{ error: { code, message, fields } }` and the HTTP status.
 */
export class RestClient {
  readonly url: string;

  /**
   * @example
   * const rest = new RestClient('http://localhost:7788', { token: () => creds.token });
   */
  constructor(url: string, private readonly options: RestOptions = {}) {
    this.url = url.replace(/\/+$/, '');
  }

  /**
   * Registers an agent with an enrollment token (a one-off credential an admin made); returns the agent and its tokens.
   * @example
   * const { agent, token, refresh_token } = await rest.enroll(enrollmentToken, { name: 'translator', description: 'translates', capabilities: [] });
   */
  enroll(enrollmentToken: string, card: AgentCard): Promise<Registration> {
    return this.call('POST', '/agents', card, { bearer: enrollmentToken });
  }

  /**
   * Trades a refresh token for a new pair; the old pair stops working, so persist the answer.
   * @example
   * const { token, refresh_token } = await rest.refresh(saved.refresh_token);
   */
  refresh(refreshToken: string): Promise<AgentCredentials> {
    return this.call('POST', '/auth/refresh', { refresh_token: refreshToken }, { bearer: null });
  }

  /**
   * Changes fields of an agent's card (the name is fixed at registration).
   * @example
   * await rest.updateCard(client.agentId, { accepting_invites: false });
   */
  updateCard(agentId: string, patch: AgentCardPatch): Promise<AgentView> {
    return this.call('PATCH', `/agents/${encodeURIComponent(agentId)}`, patch);
  }

  /**
   * An agent's card and status (any token may read it).
   * @example
   * const { name, description } = await rest.getAgent(memberId);
   */
  getAgent(agentId: string): Promise<AgentView> {
    return this.call('GET', `/agents/${encodeURIComponent(agentId)}`);
  }

  /**
   * Agents ranked by how well their card matches a need in words.
   * @example
   * const { results } = await rest.searchAgents({ query: 'translate into Spanish', top_k: 3, online_only: true });
   */
  searchAgents(query: SearchAgentsDto): Promise<SearchResponse> {
    return this.call('POST', '/agents/search', query);
  }

  /**
   * Creates a group. An agent's group invites the agents it names and is in `forming` until they answered (then
   * `discussion`, with a `turn` for the caller); an admin's opens in `discussion` at once with the members added.
   * @example
   * const group = await rest.createGroup({ goal: 'plan a trip', members: [aliceId, bobId] });
   */
  createGroup(body: CreateGroupDto): Promise<GroupView> {
    return this.call('POST', '/groups', body);
  }

  /**
   * Invites an agent into a group the caller coordinates (it joins once it accepts); an admin adds it directly.
   * @example
   * const invite = await rest.addMember(groupId, carolId); // { invite_id, status: 'pending', deadline, ... }
   */
  addMember(groupId: string, agentId: string): Promise<InviteView | GroupView> {
    return this.call('POST', `/groups/${encodeURIComponent(groupId)}/members`, { agent_id: agentId });
  }

  /**
   * Groups the caller may read, newest first (an agent's own groups).
   * @example
   * const open = (await rest.listGroups({ limit: 100 })).items.filter((g) => g.state !== 'closed');
   */
  listGroups(query: { limit?: number; offset?: number } = {}): Promise<Page<GroupView>> {
    return this.call('GET', `/groups${queryString(query)}`);
  }

  /**
   * A group's state, members, turn and seq.
   * @example
   * const { state, turn } = await rest.getGroup(groupId);
   */
  getGroup(groupId: string): Promise<GroupView> {
    return this.call('GET', `/groups/${encodeURIComponent(groupId)}`);
  }

  /**
   * A page of a group's history in seq order, in the caller's view.
   * @example
   * const { items, next_after_seq } = await rest.messages(groupId, { after_seq: 10, limit: 100 });
   */
  messages(groupId: string, query: { after_seq?: number; limit?: number } = {}): Promise<MessagesPage> {
    return this.call('GET', `/groups/${encodeURIComponent(groupId)}/messages${queryString(query)}`);
  }

  /**
   * A group's tasks; `task_desc` only where the caller may read it.
   * @example
   * const mine = (await rest.tasks(groupId)).filter((t) => t.assignee.includes(client.agentId));
   */
  tasks(groupId: string): Promise<TaskView[]> {
    return this.call('GET', `/groups/${encodeURIComponent(groupId)}/tasks`);
  }

  /**
   * Submits a goal; its coordinator (named, or the best online match) receives a `goal` event.
   * @example
   * const goal = await rest.createGoal({ goal: 'plan a cheap trip to Madrid', team_up_depth: 1 });
   */
  createGoal(body: CreateGoalDto): Promise<GoalView> {
    return this.call('POST', '/goals', body);
  }

  /**
   * A goal's status and result, with its team tree.
   * @example
   * const { status, result } = await rest.getGoal(goalId);
   */
  getGoal(goalId: string): Promise<GoalView> {
    return this.call('GET', `/goals/${encodeURIComponent(goalId)}`);
  }

  /**
   * Goals the caller may read, newest first: all for an admin, those an agent created or coordinates.
   * @example
   * const { items } = await rest.listGoals({ status: 'running', limit: 20 });
   */
  listGoals(query: { status?: GoalStatus; limit?: number; offset?: number } = {}): Promise<Page<GoalView>> {
    return this.call('GET', `/goals${queryString(query)}`);
  }

  /**
   * A goal's team tree: its groups nested by level, each with its tasks.
   * @example
   * const [root] = await rest.goalTree(goalId);
   */
  goalTree(goalId: string): Promise<TreeNode[]> {
    return this.call('GET', `/goals/${encodeURIComponent(goalId)}/tree`);
  }

  /**
   * Cancels a goal with every group and task under it (an admin, or the client that submitted it).
   * @example
   * await rest.cancelGoal(goalId);
   */
  cancelGoal(goalId: string): Promise<GoalView> {
    return this.call('POST', `/goals/${encodeURIComponent(goalId)}/cancel`);
  }

  /**
   * The messages of a goal's root team after `afterSeq`, as the caller may see them (a page; `next_after_seq` for more).
   * @example
   * const { items } = await rest.goalTranscript(goalId);
   */
  goalTranscript(goalId: string, afterSeq = 0): Promise<MessagesPage> {
    return this.call('GET', `/goals/${encodeURIComponent(goalId)}/transcript${queryString({ after_seq: afterSeq })}`);
  }

  /**
   * Any route of the API without a typed method here (admin routes, trees, decisions), by its path after `/v1`.
   * @example
   * const { token } = await rest.request<{ token: string }>('POST', '/auth/observer-tokens', { scope: { all: true } });
   */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown, auth: Auth = 'access'): Promise<T> {
    try {
      return await this.paced<T>(method, path, body, auth);
    } catch (e) {
      const retry = auth === 'access' && this.options.refresh && e instanceof IoAError && e.code === ErrorCode.UNAUTHORIZED;
      if (!retry) throw e;
      // A refresh that fails (no refresh token, or a spent one) leaves the server's own refusal as the answer.
      await this.options.refresh!().catch(() => Promise.reject(e));
      return this.paced<T>(method, path, body, auth);
    }
  }

  /** One call, waiting out `RATE_LIMITED` refusals as the server asks (a refused call changed nothing, so it is safe to repeat). */
  private async paced<T>(method: string, path: string, body: unknown, auth: Auth): Promise<T> {
    const retries = this.options.rateLimitRetries ?? 3;
    const longest = this.options.maxRetryAfterS ?? 30;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, body, auth);
      } catch (e) {
        const wait = e instanceof IoAError && e.code === ErrorCode.RATE_LIMITED ? e.retryAfterS ?? 1 : null;
        if (wait === null || attempt >= retries || wait > longest) throw e;
        await new Promise((r) => setTimeout(r, wait * 1000));
      }
    }
  }

  private async once<T>(method: string, path: string, body: unknown, auth: Auth): Promise<T> {
    const bearer = auth === 'access' ? this.options.token?.() : auth.bearer;
    let res: Response;
    try {
      res = await fetch(`${this.url}/${API_PREFIX}${path}`, {
        method,
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw ConnectionFailed.from(this.url, e);
    }
    // The server may die while the body is on its way: that too is an unreachable server, not a protocol error.
    const text = await res.text().catch((e: unknown) => Promise.reject(ConnectionFailed.from(this.url, e)));
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (res.ok) return parsed as T;
    throw new IoAError(errorBodyOf(parsed, { code: codeOfStatus(res.status), message: `${method} ${path}: HTTP ${res.status}` }), res.status,
      retryAfterS(res.headers.get('retry-after')));
  }
}

function queryString(query: Record<string, number | string | undefined>): string {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return qs ? `?${qs}` : '';
}

/** `Retry-After` in seconds (at least 1): delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterS(header: string | null): number | undefined {
  if (header === null || !header.trim()) return undefined;
  // An HTTP date names its weekday and month; anything else that is not digits (`-3`, say) is unreadable.
  const seconds = /^\s*\d+\s*$/.test(header) ? Number(header) : /[a-z]/i.test(header) ? (Date.parse(header) - Date.now()) / 1000 : Number.NaN;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : undefined;
}

/** Best guess of a code for an error answer that carried no body (a proxy's 502, say). */
function codeOfStatus(status: number): ErrorCode {
  const hit = (Object.entries(HTTP_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return hit ? hit[0] : status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
}
