import type { SocketTuning } from './connection';
import type { AgentCard, Credentials } from './types';

/** How `IoAClient.connect` reaches the server, authenticates, and how long it waits and retries. */
export interface ConnectOptions {
  /** The server's base URL, e.g. `http://localhost:7788`. */
  url: string;
  /** A saved access token; without it, `enrollment` registers a new agent. */
  token?: string;
  /** The refresh token saved with `token`; lets the client recover from an expired access token. */
  refreshToken?: string;
  /** Only when the token is not a JWT with the agent id as `sub` (tests with fake servers). */
  agentId?: string;
  /** First run: an enrollment token from an admin and the card to register with. */
  enrollment?: { token: string; card: AgentCard };
  /** Receives every new credential pair (after enrolment and after each refresh); persist it, it replaces the last. */
  onCredentials?(creds: Credentials): void | Promise<void>;
  /** How long to wait for each ack before resending (default 10 000 ms). */
  ackTimeoutMs?: number;
  /** Attempts per acked emit, the first included (default 3). */
  sendAttempts?: number;
  /** How long `connect` waits for the first connection (default 30 000 ms). */
  connectTimeoutMs?: number;
  /**
   * A message refused with `GROUP_PAUSED` waits for the group's resume (its `group_pause` event) and is sent again;
   * without one it is tried again after this long (default 30 000 ms), in case the resume came while it was sent.
   */
  pausedRecheckMs?: number;
  /** socket.io reconnection tuning (`reconnectionDelay`, `reconnectionDelayMax`, …); transport and auth are fixed. */
  socket?: SocketTuning;
}
