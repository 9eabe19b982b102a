import { Injectable } from '@nestjs/common';
import { MessageAck, REQUESTER_SENDER } from '@ioa/protocol';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';

/**
 * A goal's requester writes into its root team: a `system` message from `requester` (event `requester_message`,
 * `to` the coordinator), which answers the coordinator's `ask_requester`. Whoever holds the turn (the coordinator,
 * who asked and kept it) is offered it again, with a fresh deadline, to read the answer.
 */
@Injectable()
export class RequesterMessageHandler implements CommandHandler<'requester_message'> {
  readonly type = 'requester_message';

  constructor(private readonly engine: SessionEngine) {}

  handle(live: LiveGroup, batch: Batch, { by, text }: CommandOf<'requester_message'>): MessageAck {
    const payload = { event: 'requester_message', text, by: by.id, to: live.context.coordinator };
    const message = this.engine.append(live, batch, { type: 'system', sender: REQUESTER_SENDER, payload });
    this.engine.audit(batch, by.id, 'requester_message', live.row.id, { seq: message.seq });
    this.engine.offerTurnAgain(live, batch);
    return { seq: message.seq, message_id: message.messageId };
  }
}
