import { Injectable } from '@nestjs/common';
import { MessageAck, OPERATOR_SENDER } from '@ioa/protocol';
import { CommandHandler, CommandOf } from '../commands';
import { Batch, LiveGroup } from '../live-group';
import { SessionEngine } from '../session-engine';

/**
 * An operator (admin) writes into an open group, paused or not: a `system` message from `operator` (event
 * `operator_message`) that every member and subscriber sees, marked as the operator's and never as an agent's.
 */
@Injectable()
export class OperatorMessageHandler implements CommandHandler<'operator_message'> {
  readonly type = 'operator_message';

  constructor(private readonly engine: SessionEngine) {}

  handle(live: LiveGroup, batch: Batch, { by, text }: CommandOf<'operator_message'>): MessageAck {
    const message = this.engine.append(live, batch, { type: 'system', sender: OPERATOR_SENDER, payload: { event: 'operator_message', text, by: by.id } });
    this.engine.audit(batch, by.id, 'operator_message', live.row.id, { seq: message.seq });
    return { seq: message.seq, message_id: message.messageId };
  }
}
