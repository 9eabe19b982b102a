import type { ServerEvents } from '@ioa/protocol';

export interface Target {
  rooms: string[];
  /** Sockets in any of these rooms are left out. */
  except?: string[];
}

/** Sends server events to rooms; the socket.io server sits behind it (and, with several nodes, its Redis adapter). */
export abstract class Emitter {
  abstract emit<E extends keyof ServerEvents>(target: Target, event: E, ...args: Parameters<ServerEvents[E]>): void;
  /** Puts the sockets in room `of` (a socket's own id, say) into `rooms`, on whichever node they are. */
  abstract join(of: string, rooms: string[]): void;
  /** Takes the sockets in room `of` out of `rooms` at once, e.g. a removed member's out of its group's rooms. */
  abstract leave(of: string, rooms: string[]): void;
  /** Closes every socket in any of `rooms`, e.g. an agent's when it is disabled, or a revoked token's. */
  abstract disconnect(...rooms: string[]): void;
}

/** Rooms a socket joins, by convention. */
export const ROOM = {
  agent: (agentId: string) => `agent:${agentId}`,
  group: (groupId: string) => `group:${groupId}`,
  /** The sockets of one agent subscribed to one group: where its personal view of a message goes. */
  member: (groupId: string, agentId: string) => `group:${groupId}:agent:${agentId}`,
  admins: (groupId: string) => `group:${groupId}:admin`,
  /** Every socket authenticated with one token, so that revoking the token closes them. */
  token: (jti: string) => `token:${jti}`,
  /** People watching every goal (admins, observers of everything) and those watching one goal (its observers). */
  allGoals: () => 'goals:all',
  goal: (goalId: string) => `goal:${goalId}`,
  /**
   * Who may decide approvals: every one (admins); those of a group or a goal (participants whose scope covers it); of
   * those, the ones naming a person (that person's sockets whose scope covers the group or goal).
   */
  approvals: (scope: 'all' | `group:${string}` | `goal:${string}`, personId?: string) => `approvals:${scope}${personId ? `:person:${personId}` : ''}`,
};
