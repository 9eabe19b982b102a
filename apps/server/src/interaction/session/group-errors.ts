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
