import { ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../foundation/http/api-error';

/** The group is closed, unknown, or (on one node) not run here. */
export class GroupNotOpen extends ApiError {
  constructor(groupId: string) {
    super(ErrorCode.NOT_FOUND, `open group ${groupId} not found`);
  }
}

/** A step refused by fencing: the group runs on another node now (the command is forwarded there). */
export class GroupMoved extends ApiError {
  constructor(groupId: string) {
    super(ErrorCode.UNAVAILABLE, `group ${groupId} moved to another node; send again`);
  }
}

/** Why an agent's action on a group an operator paused waits: the same words for messages and other actions. */
export const PAUSED = 'an operator paused the group: wait for the group_pause event that resumes it, then send again';

/** An agent's action (not an admin's) on a group an operator paused is refused until it resumes. */
export function assertNotPaused(row: { pause?: unknown }, by: { role: string }): void {
  if (row.pause && by.role !== 'admin') throw new ApiError(ErrorCode.GROUP_PAUSED, PAUSED);
}
