import { Injectable } from '@nestjs/common';
import { GroupStore } from '../../../data/groups/group-store';
import { ROOM } from '../../../foundation/network/emitter.port';
import { assertAllowed } from '../../access/access';
import { CommandHandler, CommandOf } from '../commands';
import { LiveGroup } from '../live-group';
import { replay } from '../session-reader';

/**
 * The end of a subscription (its start, the ack and most of the replay, ran outside the lock in `SessionReader`):
 * under the group's lock, the messages after `after_seq` — at most a page plus what arrived meanwhile — then the
 * rooms, then `replayed`. No message is accepted in between, so the replay ends where live delivery begins, with
 * nothing lost and nothing twice.
 */
@Injectable()
export class SubscribeHandler implements CommandHandler<'subscribe'> {
  readonly type = 'subscribe';
  readonly readOnly = true;

  constructor(private readonly store: GroupStore) {}

  async handle(live: LiveGroup, _: unknown, { group_id: groupId, by, after_seq: afterSeq, sink }: CommandOf<'subscribe'>): Promise<void> {
    assertAllowed(by, { action: 'group.read', group: { id: groupId, members: live.context.members, goalId: live.row.goalId } });
    const rooms = [ROOM.group(groupId)];
    if (by.role === 'admin') rooms.push(ROOM.admins(groupId));
    if (by.role === 'agent' || (by.role === 'participant' && live.context.members.includes(by.id))) rooms.push(ROOM.member(groupId, by.id));
    await replay(this.store, by, live.row, afterSeq, live.row.lastSeq, sink, false);
    sink.join(rooms);
    sink.replayed(live.row.lastSeq, live.state);
  }
}
